using System.Text.Json;
using Reconciler.Cli.Tests.Fixtures;
using Reconciler.GitSource.Tests;
using Reconciler.GitSource.Tests.Fixtures;
using static Reconciler.GitSource.Tests.Diff.DiffFixtures;

namespace Reconciler.Cli.Tests.Commands;

/// <summary><c>diff --format text|markdown|json</c> on a real repository: the pull request comment's marker, errors
/// first with their locations, one summary line per node, risks, collapsed details and the cap.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class DiffFormatTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly TestRepository _repository;
    private readonly string _base;

    public DiffFormatTests()
    {
        _repository = new TestRepository(_temp.Sub("topology.git"));
        _base = _repository.Commit("Seed", "lb/topology.yaml", Samples.Seed).Sha;
    }

    public void Dispose()
    {
        _repository.Dispose();
        _temp.Dispose();
    }

    private CliResult Diff(string topology, params string[] options)
    {
        var head = _repository.Commit("Change", "lb/topology.yaml", topology).Sha;
        return CliRun.Invoke(["diff", "--repo", _repository.Path, "--path", "lb", .. options, _base, head]);
    }

    [Fact]
    public void Markdown_VipMoveAndServiceRemoved_MarkerSummaryLinesRisksAndCollapsedDetails()
    {
        var withoutApi = Edit(Samples.Seed, MoveVipOut, MoveVipIn, Weight);
        withoutApi = withoutApi[..withoutApi.IndexOf("  - name: api\n", StringComparison.Ordinal)];

        var result = Diff(withoutApi, "--format", "markdown", "--detailed-exitcode");

        Assert.True(result.ExitCode == 2, result.ToString());
        var lines = result.Output.Split('\n');
        Assert.Equal("<!-- reconciler-diff -->", lines[0]);
        Assert.StartsWith("### Reconciler diff `", lines[1], StringComparison.Ordinal);
        Assert.Equal(["- **lb1**: 0 to add, 3 to change, 1 to destroy", "- **lb2**: 0 to add, 3 to change, 1 to destroy"], lines.Where(l => l.StartsWith("- **", StringComparison.Ordinal)));
        Assert.Equal(
            [
                "- ⚠️ VIP 192.168.1.122/32 moves from VRRP instance VI_1 to VI_2 (MASTER lb1 -> MASTER lb2)",
                "- ⚠️ service api (TCP 192.168.1.121:8080) is removed with its 2 real servers",
            ],
            lines.Where(l => l.StartsWith("- ⚠️", StringComparison.Ordinal)));
        Assert.Equal(
            ["<details><summary>Topology: 0 added, 3 changed, 1 removed</summary>", "<details><summary><b>lb1</b>: 0 to add, 3 to change, 1 to destroy</summary>", "<details><summary><b>lb2</b>: 0 to add, 3 to change, 1 to destroy</summary>"],
            lines.Where(l => l.StartsWith("<details>", StringComparison.Ordinal)));
        Assert.Equal(3, lines.Count(l => l == "</details>"));
        Assert.Contains("- ipvs service TCP 192.168.1.121:8080 (api)", lines);
        Assert.True(Array.IndexOf(lines, "- **lb1**: 0 to add, 3 to change, 1 to destroy") < Array.IndexOf(lines, "#### ⚠️ 2 risks to review"));
    }

    [Fact]
    public void Markdown_InvalidHead_LocatedErrorsFirstAndExit1()
    {
        var invalid = Edit(Samples.Seed, ("    port: 8080\n    scheduler: rr", "    port: 80800\n    scheduler: rr"));
        var line = invalid.Split('\n').ToList().FindIndex(l => l.EndsWith("port: 80800", StringComparison.Ordinal)) + 1;

        var result = Diff(invalid, "--format", "markdown", "--detailed-exitcode");

        Assert.True(result.ExitCode == 1, result.ToString());
        var lines = result.Output.Split('\n');
        Assert.StartsWith("❌ **`", lines[3], StringComparison.Ordinal);
        Assert.EndsWith("is invalid**: 1 error. Agents will refuse it and keep their last good topology.", lines[3], StringComparison.Ordinal);
        Assert.Equal(["```text", $"lb/topology.yaml:{line}:11: error: services[1].port: 80800 is greater than the maximum 65535", "```"], lines[5..8]);
        Assert.DoesNotContain("<details>", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_MaxLengthAndCommentKey_CutWithNoteUnderTheCapAndKeyedMarker()
    {
        var result = Diff(Many(300), "--format", "markdown", "--max-length", "3000", "--comment-key", "site-a");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(result.Output.Length <= 3000, result.Output.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.StartsWith("<!-- reconciler-diff:site-a -->\n", result.Output, StringComparison.Ordinal);
        Assert.Contains("\n> ⚠️ **Truncated**: ", result.Output, StringComparison.Ordinal);
        Assert.Contains("to keep this comment under 3,000 characters", result.Output, StringComparison.Ordinal);
        Assert.Equal(0, result.Output.Split('\n').Count(l => l.StartsWith("```", StringComparison.Ordinal)) % 2);
    }

    [Fact]
    public void RiskServers_OneServerToWeightZero_CalledOutOnlyUnderALowerLimit()
    {
        var drained = Edit(Samples.Seed, ("      - address: 10.0.0.11\n        port: 8080\n", "      - address: 10.0.0.11\n        port: 8080\n        weight: 0\n"));

        var byDefault = Diff(drained, "--format", "markdown");
        var strict = Diff(drained, "--format", "markdown", "--risk-servers", "0");

        Assert.DoesNotContain("service at once", byDefault.Output, StringComparison.Ordinal);
        Assert.Contains("- ⚠️ 1 real server leaves service at once (more than 0): api 10.0.0.11:8080\n", strict.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void TextAndJson_StillWork_AndContradictoryFormatsAreRefused()
    {
        var text = Diff(Edit(Samples.Seed, Weight));
        var json = CliRun.Invoke("diff", "--repo", _repository.Path, "--path", "lb", "--json", _base, "main");
        var format = CliRun.Invoke("diff", "--repo", _repository.Path, "--path", "lb", "--format", "json", _base, "main");
        var both = CliRun.Invoke("diff", "--repo", _repository.Path, "--path", "lb", "--json", "--format", "markdown", _base, "main");

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("\nlb1: 0 to add, 1 to change, 0 to destroy\nlb2: 0 to add, 1 to change, 0 to destroy\n", text.Output, StringComparison.Ordinal);
        Assert.Contains("\n        weight: 5 -> 10\n", text.Output, StringComparison.Ordinal);
        Assert.Equal(json.Output, format.Output);
        using var document = JsonDocument.Parse(json.Output);
        Assert.Equal(1, document.RootElement.GetProperty("summary").GetProperty("changed").GetInt32());
        Assert.NotEqual(0, both.ExitCode);
        Assert.Contains("--json and --format are contradictory", both.Error, StringComparison.Ordinal);
    }
}
