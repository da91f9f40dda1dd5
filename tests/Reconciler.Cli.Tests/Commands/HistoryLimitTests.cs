using Reconciler.Cli.Tests.Fixtures;
using Reconciler.GitSource.Audit;
using Reconciler.GitSource.Source;
using Reconciler.GitSource.Tests.Fixtures;

namespace Reconciler.Cli.Tests.Commands;

/// <summary><c>history -n</c>: rows beyond the limit are left out; "not on the followed branch" is said only of a
/// commit the branch cannot reach (as in the seed scenario, where <c>-n 3</c> printed the oldest commit as a fourth
/// row, off the branch).</summary>
[Collection(ConsoleCollection.Name)]
public sealed class HistoryLimitTests : IDisposable
{
    private const string OffTheBranch = "(not on the followed branch's topology history)";
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();
    private readonly TestRepository _repository;
    private readonly string _state;
    private readonly List<LibGit2Sharp.Commit> _commits = [];

    public HistoryLimitTests()
    {
        _repository = new TestRepository(_temp.Sub("topology.git"));
        _state = _temp.Sub("state");
        var journal = AuditJournal.InStateDirectory(_state);
        for (var weight = 1; weight <= 4; weight++)
        {
            var commit = _repository.Commit($"Weight {weight}", "lb/topology.yaml", $"weight: {weight}\n");
            _commits.Add(commit);
            journal.Append(AuditEntry.For(T0.AddMinutes(weight), "lb1", CommitInfo.Of(commit), AuditOutcome.Applied, result: "ok"));
        }

        // Applied once, then history was rewritten: no branch reaches it any more.
        var gone = new CommitInfo("f00dfeed".PadRight(40, '0'), "Eve", "eve@example.org", T0, "Eve", "eve@example.org", T0, "Rewritten away");
        journal.Append(AuditEntry.For(T0.AddMinutes(5), "lb1", gone, AuditOutcome.Applied, result: "ok"));
    }

    public void Dispose()
    {
        _repository.Dispose();
        _temp.Dispose();
    }

    private CliResult History(int count) =>
        CliRun.Invoke("history", "--repo", _repository.Path, "--path", "lb", "--state-dir", _state, "--node", "lb1", "-n", count.ToString(System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void History_LimitBelowTheCommitsJournaled_OlderRowsLeftOutNotCalledOffTheBranch()
    {
        var result = History(3);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Output.Split('\n');
        var rows = lines.Where(IsRow).ToList();
        Assert.Equal(["f00dfeed0000", _commits[3].Sha[..12], _commits[2].Sha[..12]], rows.Select(r => r[..12]));
        Assert.Contains("3 commit(s)", result.Output, StringComparison.Ordinal);
        // Only the commit no branch reaches is said to be off the branch; the two oldest are left out, not marked.
        Assert.Equal(["f00dfeed0000"], MarkedOffTheBranch(lines));
    }

    [Fact]
    public void History_LimitAboveTheCommits_OnlyTheUnreachableCommitIsOffTheBranch()
    {
        var result = History(20);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Output.Split('\n');
        Assert.Equal(5, lines.Count(IsRow));
        Assert.Equal(["f00dfeed0000"], MarkedOffTheBranch(lines));
    }

    private static bool IsRow(string line) => line.Length >= 12 && line[..12].All(char.IsAsciiHexDigit);

    /// <summary>The short sha of each row followed by the off-the-branch remark.</summary>
    private static List<string> MarkedOffTheBranch(string[] lines) =>
        [.. lines.Select((line, i) => (line, i))
            .Where(p => p.line.Contains(OffTheBranch, StringComparison.Ordinal))
            .Select(p => lines.Take(p.i).Last(IsRow)[..12])];
}
