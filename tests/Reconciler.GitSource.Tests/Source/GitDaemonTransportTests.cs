using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Reconciler.GitSource.Source;
using Reconciler.GitSource.Tests.Fixtures;
using Reconciler.Testing.Git;

namespace Reconciler.GitSource.Tests.Source;

/// <summary>git:// served for real by <c>git daemon</c> on 127.0.0.1, killed and restarted mid-run.</summary>
public sealed class GitDaemonTransportTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly TestRepository _repo;
    private readonly GitDaemon _daemon;

    public GitDaemonTransportTests()
    {
        _repo = new TestRepository(Path.Combine(_temp.Sub("served"), "topology.git"));
        _daemon = new GitDaemon(Path.Combine(_temp.Path, "served"));
    }

    [Fact]
    public async Task PollAsync_ServerGoesAwayAndComesBack_UnreachableWithBackoffThenRecovers()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
        var good = _repo.Commit("Seed", "topology/lb.yaml", Samples.Seed);
        using var source = new GitTopologySource(
            new GitSourceOptions { Url = _daemon.UrlOf("topology.git"), Path = "topology", StateDirectory = _temp.Sub("state") },
            time);
        var accepted = Assert.IsType<PollResult.NewValid>(await source.PollAsync(TestContext.Current.CancellationToken));
        Assert.Equal(good.Sha, accepted.Commit.Sha);
        Assert.IsType<PollResult.Unchanged>(await source.PollAsync(TestContext.Current.CancellationToken));

        _daemon.Stop();
        var newer = _repo.Commit("Weight while the server is down", "topology/lb.yaml", Samples.Seed.Replace("weight: 5", "weight: 8", StringComparison.Ordinal));

        var down1 = Assert.IsType<PollResult.Unreachable>(await source.PollAsync(TestContext.Current.CancellationToken));
        var down2 = Assert.IsType<PollResult.Unreachable>(await source.PollAsync(TestContext.Current.CancellationToken));
        var down3 = Assert.IsType<PollResult.Unreachable>(await source.PollAsync(TestContext.Current.CancellationToken));
        Assert.Equal([5, 10, 20], new[] { down1, down2, down3 }.Select(d => (int)d.RetryAfter.TotalSeconds));
        Assert.Equal(3, down3.ConsecutiveFailures);
        Assert.Contains("127.0.0.1", down1.Error, StringComparison.Ordinal);
        Assert.Equal(SourceCondition.Stalled, down3.Status.Condition);
        Assert.Equal(time.GetUtcNow().AddSeconds(20), down3.Status.NextAttemptAt);
        Assert.Equal(good.Sha, down3.Status.LastAppliedRevision);
        Assert.Equal(good.Sha, source.LastGood!.Commit.Sha);
        TestContext.Current.SendDiagnosticMessage($"unreachable: {down1.Error}");

        _daemon.Start();
        var recovered = Assert.IsType<PollResult.NewValid>(await source.PollAsync(TestContext.Current.CancellationToken));
        Assert.Equal(newer.Sha, recovered.Commit.Sha);
        Assert.Equal(SourceCondition.Ready, recovered.Status.Condition);
        Assert.Null(recovered.Status.NextAttemptAt);
    }

    [Fact]
    public async Task PollAsync_FollowedBranch_OneConnectionPerPollMovedOrNot()
    {
        _repo.Commit("Seed", "topology/lb.yaml", Samples.Seed);
        using var source = new GitTopologySource(new GitSourceOptions { Url = _daemon.UrlOf("topology.git"), Path = "topology", StateDirectory = _temp.Sub("state3") });
        Assert.IsType<PollResult.NewValid>(await source.PollAsync(TestContext.Current.CancellationToken));
        Assert.IsType<PollResult.Unchanged>(await source.PollAsync(TestContext.Current.CancellationToken));
        var newer = _repo.Commit("Weight 8", "topology/lb.yaml", Samples.Seed.Replace("weight: 5", "weight: 8", StringComparison.Ordinal));
        var moved = Assert.IsType<PollResult.NewValid>(await source.PollAsync(TestContext.Current.CancellationToken));
        Assert.Equal(newer.Sha, moved.Commit.Sha);

        _daemon.Stop();
        // The first poll (an empty cache), an unchanged one and one that fetched a new commit: one git connection each,
        // where an ls-remote before each fetch made it five.
        Assert.Equal(3, _daemon.UploadPackRequests);
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef01234567\t\tbranch 'main' of git://h/t.git\n", "main", "0123456789abcdef0123456789abcdef01234567")]
    [InlineData("0123456789abcdef0123456789abcdef01234567\tnot-for-merge\tbranch 'main' of git://h/t.git\n", "main", "0123456789abcdef0123456789abcdef01234567")]
    [InlineData("0123456789abcdef0123456789abcdef01234567\t\tbranch 'other' of git://h/t.git\n", "main", null)]
    [InlineData("0123456789abcdef0123456789abcdef01234567\t\tbranch 'main-2' of git://h/t.git\n", "main", null)]
    [InlineData("", "main", null)]
    [InlineData("garbage\t\tbranch 'main' of x\n", "main", null)]
    public void FetchedSha_ReadsOnlyTheLineNamingTheBranch(string fetchHead, string branch, string? expected) =>
        Assert.Equal(expected, GitMirror.FetchedSha(fetchHead, branch));

    [Fact]
    public async Task PollAsync_UnknownBranch_UnreachableWithReason()
    {
        _repo.Commit("Seed", "topology/lb.yaml", Samples.Seed);
        using var source = new GitTopologySource(new GitSourceOptions { Url = _daemon.UrlOf("topology.git"), Branch = "nope", Path = "topology", StateDirectory = _temp.Sub("state2") });
        var result = Assert.IsType<PollResult.Unreachable>(await source.PollAsync(TestContext.Current.CancellationToken));
        Assert.Contains("no branch 'nope'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PollAsync_HttpsToken_NeverInMessages()
    {
        const string token = "ghp_SECRET_TOKEN_123";
        var tokenFile = Path.Combine(_temp.Path, "token");
        await File.WriteAllTextAsync(tokenFile, token + "\n", TestContext.Current.CancellationToken);
        using var source = new GitTopologySource(new GitSourceOptions
        {
            Url = "https://127.0.0.1:1/acme/topology.git",
            StateDirectory = _temp.Sub("state3"),
            Credentials = new HttpsCredentials { User = "bot", TokenFile = tokenFile },
        });
        var result = Assert.IsType<PollResult.Unreachable>(await source.PollAsync(TestContext.Current.CancellationToken));
        Assert.DoesNotContain(token, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(token, result.Status.Message ?? "", StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _daemon.Dispose();
        _repo.Dispose();
        _temp.Dispose();
    }
}
