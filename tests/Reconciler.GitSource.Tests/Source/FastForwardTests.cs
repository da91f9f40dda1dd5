using Reconciler.GitSource.Audit;
using Reconciler.GitSource.Source;
using Reconciler.GitSource.Tests.Fixtures;

namespace Reconciler.GitSource.Tests.Source;

/// <summary>
/// No silent rollback: the source accepts a new tip only when it descends from the last applied commit. Real
/// repositories; a force-push is the server's branch moved to another commit (<see cref="TestRepository.ForcePush"/>).
/// </summary>
public sealed class FastForwardTests : IDisposable
{
    private static readonly string TopologyB = Samples.Seed.Replace("weight: 5", "weight: 10", StringComparison.Ordinal);
    private readonly TempDirectory _temp = new();
    private readonly TestRepository _repo;
    private readonly string _state;

    public FastForwardTests()
    {
        _repo = new TestRepository(_temp.Sub("origin.git"));
        _state = Path.Combine(_temp.Path, "state");
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private GitTopologySource Source(bool allowNonFastForward = false) => new(new GitSourceOptions
    {
        Url = _repo.FileUrl,
        Path = "topology",
        StateDirectory = _state,
        AllowNonFastForward = allowNonFastForward,
    });

    /// <summary>A (weight 5), then B (weight 10) on top of it, B polled and accepted.</summary>
    private async Task<(LibGit2Sharp.Commit A, LibGit2Sharp.Commit B)> AppliedAThenB(GitTopologySource source)
    {
        var a = _repo.Commit("A: seed", "topology/lb.yaml", Samples.Seed);
        Assert.IsType<PollResult.NewValid>(await source.PollAsync(Token));
        var b = _repo.Commit("B: raise web weight", "topology/lb.yaml", TopologyB);
        Assert.IsType<PollResult.NewValid>(await source.PollAsync(Token));
        return (a, b);
    }

    private static void AssertStillB(GitTopologySource source, LibGit2Sharp.Commit b)
    {
        Assert.Equal(b.Sha, source.LastGood!.Commit.Sha);
        Assert.Equal(b.Sha, source.Status.LastAppliedRevision);
        Assert.Equal(10, source.LastGood.Topology.Services[0].RealServers[1].Weight);
    }

    [Fact]
    public async Task PollAsync_ForcePushBackToOlderCommit_RefusedAsNotFastForwardAndLastGoodStays()
    {
        using var source = Source();
        var (a, b) = await AppliedAThenB(source);

        _repo.ForcePush(a);
        var rejected = Assert.IsType<PollResult.Rejected>(await source.PollAsync(Token));

        Assert.Equal(RejectionKind.NotFastForward, rejected.Kind);
        Assert.Equal(a.Sha, rejected.Commit.Sha);
        var reason = Assert.Single(rejected.Reasons);
        Assert.Contains($"does not descend from the last applied commit {b.Sha}", reason, StringComparison.Ordinal);
        Assert.Contains("older", reason, StringComparison.Ordinal);
        Assert.Contains($"reconciler agent accept-tip {a.Sha}", reason, StringComparison.Ordinal);
        Assert.Equal(SourceCondition.Stalled, rejected.Status.Condition);
        AssertStillB(source, b);
        Assert.IsType<PollResult.Unchanged>(await source.PollAsync(Token));
    }

    [Fact]
    public async Task PollAsync_ForcePushToRewrittenTip_RefusedAsNotFastForwardAndLastGoodStays()
    {
        using var source = Source();
        var (a, b) = await AppliedAThenB(source);

        _repo.ForcePush(a);
        Assert.IsType<PollResult.Rejected>(await source.PollAsync(Token));
        var rewritten = _repo.Commit("B': raise web weight, reworded", "topology/lb.yaml", TopologyB);
        var rejected = Assert.IsType<PollResult.Rejected>(await source.PollAsync(Token));

        Assert.Equal(RejectionKind.NotFastForward, rejected.Kind);
        Assert.Equal(rewritten.Sha, rejected.Commit.Sha);
        Assert.Contains("rewritten history", Assert.Single(rejected.Reasons), StringComparison.Ordinal);
        AssertStillB(source, b);
    }

    [Fact]
    public async Task PollAsync_OperatorAcceptsTheRewrittenTip_AcceptedOnceThenFollowedAndTheNextRewriteRefused()
    {
        using var source = Source();
        var (a, b) = await AppliedAThenB(source);
        _repo.ForcePush(a);
        var rewritten = _repo.Commit("B': raise web weight, reworded", "topology/lb.yaml", TopologyB.Replace("weight: 10", "weight: 11", StringComparison.Ordinal));
        Assert.IsType<PollResult.Rejected>(await source.PollAsync(Token));

        TipAcceptance.Write(_state, rewritten.Sha);
        var accepted = Assert.IsType<PollResult.NewValid>(await source.PollAsync(Token));

        Assert.Equal(rewritten.Sha, accepted.Commit.Sha);
        Assert.Equal(11, accepted.Topology.Services[0].RealServers[1].Weight);
        Assert.Equal(SourceCondition.Ready, accepted.Status.Condition);
        Assert.False(File.Exists(TipAcceptance.PathIn(_state)), "the acceptance is used once");

        var next = _repo.Commit("C: on top of B'", "topology/lb.yaml", TopologyB.Replace("weight: 10", "weight: 12", StringComparison.Ordinal));
        Assert.Equal(next.Sha, Assert.IsType<PollResult.NewValid>(await source.PollAsync(Token)).Commit.Sha);

        _repo.ForcePush(b);
        Assert.Equal(RejectionKind.NotFastForward, Assert.IsType<PollResult.Rejected>(await source.PollAsync(Token)).Kind);
        Assert.Equal(next.Sha, source.LastGood!.Commit.Sha);
    }

    [Fact]
    public async Task PollAsync_AcceptanceOfAnotherCommit_StillRefused()
    {
        using var source = Source();
        var (a, b) = await AppliedAThenB(source);
        TipAcceptance.Write(_state, new string('e', 40));

        _repo.ForcePush(a);

        Assert.Equal(RejectionKind.NotFastForward, Assert.IsType<PollResult.Rejected>(await source.PollAsync(Token)).Kind);
        AssertStillB(source, b);
    }

    [Fact]
    public async Task PollAsync_AllowNonFastForward_RewrittenTipAccepted()
    {
        using var source = Source(allowNonFastForward: true);
        var (a, _) = await AppliedAThenB(source);

        _repo.ForcePush(a);

        Assert.Equal(a.Sha, Assert.IsType<PollResult.NewValid>(await source.PollAsync(Token)).Commit.Sha);
    }

    [Fact]
    public async Task PollAsync_AfterRestart_ForcePushStillRefused()
    {
        LibGit2Sharp.Commit a, b;
        using (var first = Source())
        {
            (a, b) = await AppliedAThenB(first);
        }

        _repo.ForcePush(a);
        using var restarted = Source();
        var rejected = Assert.IsType<PollResult.Rejected>(await restarted.PollAsync(Token));

        Assert.Equal(RejectionKind.NotFastForward, rejected.Kind);
        AssertStillB(restarted, b);
    }

    [Fact]
    public async Task PollAsync_StateFileLost_LastAppliedCommitOfTheAuditJournalGuards()
    {
        LibGit2Sharp.Commit a, b;
        using (var first = Source())
        {
            (a, b) = await AppliedAThenB(first);
        }

        AuditJournal.InStateDirectory(_state).Append(AuditEntry.For(DateTimeOffset.UnixEpoch, "lb1", CommitInfo.Of(b), AuditOutcome.Applied));
        File.Delete(Path.Combine(_state, "git-source.json"));
        _repo.ForcePush(a);
        using var restarted = Source();
        var rejected = Assert.IsType<PollResult.Rejected>(await restarted.PollAsync(Token));

        Assert.Equal(RejectionKind.NotFastForward, rejected.Kind);
        Assert.Contains("audit journal", Assert.Single(rejected.Reasons), StringComparison.Ordinal);
        AssertStillB(restarted, b);

        // git-source.json is written again: a second restart still refuses.
        restarted.Dispose();
        using var again = Source();
        Assert.Equal(RejectionKind.NotFastForward, Assert.IsType<PollResult.Rejected>(await again.PollAsync(Token)).Kind);
        AssertStillB(again, b);
    }

    public void Dispose()
    {
        _repo.Dispose();
        _temp.Dispose();
    }
}
