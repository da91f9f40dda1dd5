using System.Globalization;
using Reconciler.KernelTests.Infrastructure;

namespace Reconciler.KernelTests.Cli;

/// <summary>
/// plan and apply of a topology in git, through the real executable against the real kernel: applied from a
/// file:// repository, then from its next commit (only the delta), each run naming the commit it read; an invalid
/// commit is refused with its located errors and leaves the kernel as it was; the audit journal records each.
/// </summary>
public sealed class GitPlanApplyTests : IDisposable
{
    private const string Topology = """
        nodes:
          - name: lb1
            addresses: [10.0.0.1]
        services:
          - name: web
            address: 10.0.0.120
            port: 80
            scheduler: wrr
            forwarding: dr
            persistence: {timeout: 50s}
            realServers:
              - {address: 10.0.0.3, port: 80, weight: 1}
              - {address: 10.0.0.4, port: 80, weight: WEIGHT}
        """;

    private const string Applied = """
        -A -t 10.0.0.120:80 -s wrr -p 50
        -a -t 10.0.0.120:80 -r 10.0.0.3:80 -g -w 1
        -a -t 10.0.0.120:80 -r 10.0.0.4:80 -g -w 5

        """;

    private readonly LabNamespace _space = LabNamespace.Create();
    private readonly ReconcilerBinary _reconciler;
    private readonly string _repository;

    public GitPlanApplyTests()
    {
        _reconciler = new ReconcilerBinary(_space);
        _repository = Directory.CreateTempSubdirectory("reconciler-topology-").FullName;
        Git("init", "--quiet", "--initial-branch=main");
    }

    public void Dispose()
    {
        _reconciler.Dispose();
        _space.Dispose();
        Directory.Delete(_repository, recursive: true);
    }

    private string Url => "file://" + _repository;

    private string Git(params string[] arguments) =>
        Lab.Run("git", ["-C", _repository, "-c", "user.name=Alice Admin", "-c", "user.email=alice@example.org", .. arguments]).Check("git " + string.Join(' ', arguments)).Trim();

    /// <summary>Commits lb/topology.yaml with <paramref name="text"/>; returns the commit's sha.</summary>
    private string Commit(string message, string text)
    {
        Directory.CreateDirectory(Path.Combine(_repository, "lb"));
        File.WriteAllText(Path.Combine(_repository, "lb", "topology.yaml"), text);
        Git("add", "lb/topology.yaml");
        Git("commit", "--quiet", "-m", message);
        return Git("rev-parse", "HEAD");
    }

    private static string WithWeight(int weight) => Topology.Replace("WEIGHT", weight.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private ProcessResult Run(string verb, params string[] extra) =>
        _reconciler.Run([verb, "--repo", Url, "--path", "lb", "--node", "lb1", "--state-dir", _reconciler.StateDirectory, .. extra]);

    [Fact]
    public void ApplyFromRepository_ThenTheNextCommit_OnlyTheDeltaAndEachRunNamesItsCommit()
    {
        var first = Commit("Add web", WithWeight(5));
        var apply = Run("apply");
        var afterFirst = _space.Save();
        var second = Commit("Weight 3 for .4", WithWeight(3));
        var plan = Run("plan", "--detailed-exitcode");
        var applySecond = Run("apply");
        var noop = Run("plan", "--detailed-exitcode");
        var journal = File.ReadAllText(Path.Combine(_reconciler.StateDirectory, "audit.jsonl"));

        Assert.True(apply.ExitCode == 0, apply.Output + apply.Error);
        Assert.StartsWith($"Topology: commit {first[..12]} \"Add web\" of {Url} (branch main, path lb)\n", apply.Output, StringComparison.Ordinal);
        Assert.Contains("Apply complete: 3 of 3 operations done (3 added, 0 changed, 0 destroyed).", apply.Output, StringComparison.Ordinal);
        Assert.Equal(Applied, afterFirst);
        Assert.Equal(2, plan.ExitCode);
        Assert.StartsWith($"Topology: commit {second[..12]} \"Weight 3 for .4\"", plan.Output, StringComparison.Ordinal);
        Assert.Contains("~ real server 10.0.0.4:80 of web (TCP 10.0.0.120:80)\n      ~ weight: 5 -> 3\n", plan.Output, StringComparison.Ordinal);
        Assert.Equal(0, applySecond.ExitCode);
        Assert.Contains($"commit {second[..12]} \"Weight 3 for .4\"", applySecond.Output, StringComparison.Ordinal);
        Assert.Contains("Apply complete: 1 of 1 operations done (0 added, 1 changed, 0 destroyed).", applySecond.Output, StringComparison.Ordinal);
        Assert.Equal(Applied.Replace("-w 5", "-w 3", StringComparison.Ordinal), _space.Save());
        Assert.Equal(0, noop.ExitCode);
        Assert.EndsWith("No changes. The live state matches the topology.\n", noop.Output, StringComparison.Ordinal);
        Assert.Contains($"\"commit\":\"{first}\"", journal, StringComparison.Ordinal);
        Assert.Contains($"\"commit\":\"{second}\"", journal, StringComparison.Ordinal);
    }

    [Fact]
    public void RevPinsTheFirstCommit_ApplyGoesBackToIt()
    {
        var first = Commit("Add web", WithWeight(5));
        Commit("Weight 3 for .4", WithWeight(3));
        Run("apply").Check("apply of the tip");

        var pinned = Run("apply", "--rev", first);

        Assert.Equal(0, pinned.ExitCode);
        Assert.StartsWith($"Topology: commit {first[..12]} \"Add web\" of {Url} (rev {first}, path lb)\n", pinned.Output, StringComparison.Ordinal);
        Assert.Equal(Applied, _space.Save());
    }

    [Fact]
    public void InvalidCommitAfterAGoodOne_RefusedWithLocatedErrorsAndKernelUntouched()
    {
        Commit("Add web", WithWeight(5));
        Run("apply").Check("first apply");
        var bad = Commit("Break it", WithWeight(70000).Replace("scheduler: wrr", "scheduler: nope", StringComparison.Ordinal));

        var apply = Run("apply");
        var journal = File.ReadAllText(Path.Combine(_reconciler.StateDirectory, "audit.jsonl"));

        Assert.Equal(1, apply.ExitCode);
        Assert.Contains("lb/topology.yaml:", apply.Error, StringComparison.Ordinal);
        Assert.Contains("70000", apply.Error, StringComparison.Ordinal);
        Assert.Contains("nope", apply.Error, StringComparison.Ordinal);
        Assert.Contains($"reconciler: the topology at commit {bad[..12]} \"Break it\" of {Url} (branch main, path lb) is invalid: 2 errors", apply.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", apply.Error, StringComparison.Ordinal);
        Assert.Equal(Applied, _space.Save());
        Assert.Contains($"\"commit\":\"{bad}\"", journal, StringComparison.Ordinal);
        Assert.Contains("\"outcome\":\"rejected\"", journal, StringComparison.Ordinal);
    }
}
