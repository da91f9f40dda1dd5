using Reconciler.GitSource.Source;
using Reconciler.GitSource.Tests.Fixtures;

namespace Reconciler.GitSource.Tests.Source;

public sealed class GitTopologySourceTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly TestRepository _repo;

    public GitTopologySourceTests() => _repo = new TestRepository(_temp.Sub("origin.git"));

    private GitTopologySource Source(string? url = null, string path = "topology", SafetyLimit? safety = null, string? rev = null) => new(new GitSourceOptions
    {
        Url = url ?? _repo.FileUrl,
        Path = path,
        Rev = rev,
        StateDirectory = Path.Combine(_temp.Path, "state"),
        Safety = safety ?? SafetyLimit.Default,
    });

    [Fact]
    public async Task PollAsync_FileUrl_NewValidThenUnchangedThenNewValid()
    {
        var first = _repo.Commit("Seed topology", "topology/lb.yaml", Samples.Seed);
        using var source = Source();

        var accepted = Assert.IsType<PollResult.NewValid>(await source.PollAsync(TestContext.Current.CancellationToken));
        Assert.Equal(first.Sha, accepted.Commit.Sha);
        Assert.Equal("Seed topology", accepted.Commit.Subject);
        Assert.Equal("Alice Admin", accepted.Commit.Author);
        Assert.Equal("CI Bot", accepted.Commit.Committer);
        Assert.Equal(2, accepted.Topology.Services.Count);
        Assert.Equal(SourceCondition.Ready, accepted.Status.Condition);

        var again = Assert.IsType<PollResult.Unchanged>(await source.PollAsync(TestContext.Current.CancellationToken));
        Assert.Equal(first.Sha, again.Status.LastAppliedRevision);

        var second = _repo.Commit("Raise web weight", "topology/lb.yaml", Samples.Seed.Replace("weight: 5", "weight: 10", StringComparison.Ordinal));
        var next = Assert.IsType<PollResult.NewValid>(await source.PollAsync(TestContext.Current.CancellationToken));
        Assert.Equal(second.Sha, next.Commit.Sha);
        Assert.Equal(10, next.Topology.Services[0].RealServers[1].Weight);
        Assert.True(next.TopologyChanged);

        var docs = _repo.Commit("Docs only", "README.md", "hello");
        var same = Assert.IsType<PollResult.NewValid>(await source.PollAsync(TestContext.Current.CancellationToken));
        Assert.Equal(docs.Sha, same.Commit.Sha);
        Assert.False(same.TopologyChanged);
    }

    [Fact]
    public async Task PollAsync_LocalPath_Works()
    {
        var commit = _repo.Commit("Seed", "topology/lb.yaml", Samples.Seed);
        using var source = Source(url: _repo.Path);
        var accepted = Assert.IsType<PollResult.NewValid>(await source.PollAsync(TestContext.Current.CancellationToken));
        Assert.Equal(commit.Sha, accepted.Commit.Sha);
    }

    [Fact]
    public async Task PollAsync_InvalidCommitAfterGood_RejectedWithLocatedErrorsLastGoodKeptNextValidAccepted()
    {
        var good = _repo.Commit("Seed", new Dictionary<string, string?> { ["topology/lb.yaml"] = Samples.Seed, ["README.md"] = "not yaml: [" });
        using var source = Source();
        Assert.IsType<PollResult.NewValid>(await source.PollAsync(TestContext.Current.CancellationToken));

        var bad = _repo.Commit("Break it", "topology/lb.yaml", Samples.Invalid);
        var rejected = Assert.IsType<PollResult.Rejected>(await source.PollAsync(TestContext.Current.CancellationToken));
        Assert.Equal(bad.Sha, rejected.Commit.Sha);
        Assert.Equal(RejectionKind.Invalid, rejected.Kind);
        var errors = rejected.Diagnostics.Where(d => d.IsError).ToList();
        Assert.True(errors.Count >= 2, string.Join("\n", errors));
        Assert.All(errors, e => Assert.Equal("topology/lb.yaml", e.Location!.File));
        Assert.Contains(rejected.Reasons, r => r.StartsWith("topology/lb.yaml:", StringComparison.Ordinal));
        Assert.Equal(SourceCondition.Stalled, rejected.Status.Condition);
        Assert.Equal(bad.Sha, rejected.Status.LastAttemptedRevision);
        Assert.Equal(good.Sha, rejected.Status.LastAppliedRevision);
        Assert.Equal(good.Sha, source.LastGood!.Commit.Sha);

        // Polling again does not re-reject the same commit.
        Assert.IsType<PollResult.Unchanged>(await source.PollAsync(TestContext.Current.CancellationToken));

        var fixedCommit = _repo.Commit("Fix it", "topology/lb.yaml", Samples.Seed.Replace("weight: 5", "weight: 6", StringComparison.Ordinal));
        var accepted = Assert.IsType<PollResult.NewValid>(await source.PollAsync(TestContext.Current.CancellationToken));
        Assert.Equal(fixedCommit.Sha, accepted.Status.LastAppliedRevision);
        Assert.Equal(fixedCommit.Sha, accepted.Status.LastAttemptedRevision);
        Assert.Equal(SourceCondition.Ready, accepted.Status.Condition);
    }

    [Fact]
    public async Task PollAsync_MissingPath_RejectedAsInvalid()
    {
        _repo.Commit("Elsewhere", "other/lb.yaml", Samples.Seed);
        using var source = Source();
        var rejected = Assert.IsType<PollResult.Rejected>(await source.PollAsync(TestContext.Current.CancellationToken));
        Assert.Contains(rejected.Diagnostics, d => d.Code == "no-files");
        Assert.Null(rejected.Status.LastGood);
    }

    [Fact]
    public async Task PollAsync_SeveralFilesUnderPath_MergedAndNamedByRepoPath()
    {
        _repo.Commit("Split", new Dictionary<string, string?>
        {
            ["topology/10-nodes.yaml"] = Samples.Nodes,
            ["topology/20-vrrp.yml"] = Samples.Vrrp,
            ["topology/30-services.yaml"] = Samples.Services.Replace("port: 8080\n    scheduler", "port: 8080\n    scheduler", StringComparison.Ordinal),
            ["topology/notes.txt"] = "ignored",
        });
        using var source = Source();
        var accepted = Assert.IsType<PollResult.NewValid>(await source.PollAsync(TestContext.Current.CancellationToken));
        Assert.Equal(2, accepted.Topology.VrrpInstances.Count);

        _repo.Commit("Break services", "topology/30-services.yaml", Samples.Services.Replace("weight: 5", "weight: -5", StringComparison.Ordinal));
        var rejected = Assert.IsType<PollResult.Rejected>(await source.PollAsync(TestContext.Current.CancellationToken));
        Assert.Contains(rejected.Diagnostics, d => d.IsError && d.Location?.File == "topology/30-services.yaml");
    }

    [Fact]
    public async Task PollAsync_AfterRestart_LastGoodRestoredFromCache()
    {
        var good = _repo.Commit("Seed", "topology/lb.yaml", Samples.Seed);
        using (var source = Source())
        {
            Assert.IsType<PollResult.NewValid>(await source.PollAsync(TestContext.Current.CancellationToken));
        }

        using var restarted = Source();
        var result = Assert.IsType<PollResult.Unchanged>(await restarted.PollAsync(TestContext.Current.CancellationToken));
        Assert.Equal(good.Sha, result.Status.LastAppliedRevision);
        Assert.Equal(2, restarted.LastGood!.Topology.Services.Count);
    }

    [Fact]
    public async Task RestoreAsync_AfterRestartWithTheServerGone_LastGoodWithoutAPoll()
    {
        var good = _repo.Commit("Seed", "topology/lb.yaml", Samples.Seed);
        using (var source = Source())
        {
            Assert.IsType<PollResult.NewValid>(await source.PollAsync(TestContext.Current.CancellationToken));
        }

        var away = _repo.Path + ".away";
        Directory.Move(_repo.Path, away); // the same URL, nothing behind it
        try
        {
            using var restarted = Source();
            var restored = await restarted.RestoreAsync(TestContext.Current.CancellationToken);

            Assert.Equal(good.Sha, restored?.Commit.Sha);
            Assert.Equal(2, restored!.Topology.Services.Count);
            Assert.IsType<PollResult.Unreachable>(await restarted.PollAsync(TestContext.Current.CancellationToken));
            Assert.Equal(good.Sha, restarted.LastGood?.Commit.Sha);
        }
        finally
        {
            Directory.Move(away, _repo.Path);
        }
    }

    [Fact]
    public async Task RestoreAsync_FirstStart_Nothing()
    {
        _repo.Commit("Seed", "topology/lb.yaml", Samples.Seed);
        using var source = Source();

        Assert.Null(await source.RestoreAsync(TestContext.Current.CancellationToken));
        Assert.IsType<PollResult.NewValid>(await source.PollAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task PollAsync_PinnedRev_TagAndSha()
    {
        var first = _repo.Commit("Seed", "topology/lb.yaml", Samples.Seed);
        _repo.Repository.Tags.Add("v1", first, new LibGit2Sharp.Signature("Rel", "rel@example.org", DateTimeOffset.UnixEpoch), "release 1");
        _repo.Commit("Later", "topology/lb.yaml", Samples.Seed.Replace("weight: 5", "weight: 7", StringComparison.Ordinal));

        using (var byTag = Source(rev: "v1"))
        {
            var accepted = Assert.IsType<PollResult.NewValid>(await byTag.PollAsync(TestContext.Current.CancellationToken));
            Assert.Equal(first.Sha, accepted.Commit.Sha);
        }

        using var bySha = new GitTopologySource(new GitSourceOptions { Url = _repo.FileUrl, Path = "topology", Rev = first.Sha, StateDirectory = _temp.Sub("state-sha") });
        var pinned = Assert.IsType<PollResult.NewValid>(await bySha.PollAsync(TestContext.Current.CancellationToken));
        Assert.Equal(first.Sha, pinned.Commit.Sha);
        Assert.IsType<PollResult.Unchanged>(await bySha.PollAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task PollAsync_CommitRemovingEveryService_RefusedBySafetyLimitLastGoodKept()
    {
        var good = _repo.Commit("Three services", "topology/lb.yaml", Samples.Plain("a", "b", "c"));
        using var source = Source();
        Assert.IsType<PollResult.NewValid>(await source.PollAsync(TestContext.Current.CancellationToken));

        var wipe = _repo.Commit("Oops", "topology/lb.yaml", Samples.Empty);
        var rejected = Assert.IsType<PollResult.Rejected>(await source.PollAsync(TestContext.Current.CancellationToken));
        Assert.Equal(RejectionKind.SafetyLimit, rejected.Kind);
        Assert.Contains("removes every service (3)", rejected.Reasons.Single(), StringComparison.Ordinal);
        Assert.Equal(good.Sha, source.LastGood!.Commit.Sha);

        _repo.Commit("Remove two of three", "topology/lb.yaml", Samples.Plain("a"));
        var tooMany = Assert.IsType<PollResult.Rejected>(await source.PollAsync(TestContext.Current.CancellationToken));
        Assert.Contains("removes 2 of 3 services (66.7%)", tooMany.Reasons.Single(), StringComparison.Ordinal);

        var one = _repo.Commit("Remove one of three", "topology/lb.yaml", Samples.Plain("a", "b"));
        var accepted = Assert.IsType<PollResult.NewValid>(await source.PollAsync(TestContext.Current.CancellationToken));
        Assert.Equal(one.Sha, accepted.Commit.Sha);
        _ = wipe;
    }

    [Fact]
    public async Task PollAsync_SafetyLimitAllowedForCommit_Accepted()
    {
        _repo.Commit("Two services", "topology/lb.yaml", Samples.Plain("a", "b"));
        using (var first = Source())
        {
            Assert.IsType<PollResult.NewValid>(await first.PollAsync(TestContext.Current.CancellationToken));
        }

        // The operator allows this one decommissioning commit; the restarted source compares it with the
        // restored last good topology and lets it through.
        var wipe = _repo.Commit("Decommission", "topology/lb.yaml", Samples.Empty);
        var allowWipe = SafetyLimit.Default with { AllowedCommits = new HashSet<string> { wipe.Sha } };
        using var source = Source(safety: allowWipe);
        var accepted = Assert.IsType<PollResult.NewValid>(await source.PollAsync(TestContext.Current.CancellationToken));
        Assert.Equal(wipe.Sha, accepted.Commit.Sha);
        Assert.Empty(accepted.Topology.Services);

        Assert.Null(SafetyLimit.Default.Check(null, TopologyModelOf(Samples.Empty), "x"));
        Assert.NotNull(SafetyLimit.Default.Check(TopologyModelOf(Samples.Plain("a")), TopologyModelOf(Samples.Empty), "x"));
        Assert.Null(allowWipe.Check(TopologyModelOf(Samples.Plain("a")), TopologyModelOf(Samples.Empty), wipe.Sha));
        Assert.Null((SafetyLimit.Default with { AllowEmpty = true, MaxRemovedPercent = 100 }).Check(TopologyModelOf(Samples.Plain("a")), TopologyModelOf(Samples.Empty), "x"));
        Assert.Null(SafetyLimit.Default.Check(TopologyModelOf(Samples.Plain("a", "b")), TopologyModelOf(Samples.Plain("a")), "x"));
    }

    internal static Reconciler.Topology.Model.Topology TopologyModelOf(string yaml) =>
        Reconciler.Topology.Loading.TopologyLoader.LoadDocuments([new("t.yaml", yaml)]).Topology!;

    [Fact]
    public async Task History_OnlyCommitsTouchingPath_NewestFirst()
    {
        var a = _repo.Commit("Seed", "topology/lb.yaml", Samples.Seed);
        _repo.Commit("Docs only", "README.md", "hello");
        var c = _repo.Commit("Weight", "topology/lb.yaml", Samples.Seed.Replace("weight: 5", "weight: 9", StringComparison.Ordinal));
        using var source = Source();
        await source.PollAsync(TestContext.Current.CancellationToken);
        var log = source.History();
        Assert.Equal([c.Sha, a.Sha], log.Select(l => l.Sha));
    }

    public void Dispose()
    {
        _repo.Dispose();
        _temp.Dispose();
    }
}
