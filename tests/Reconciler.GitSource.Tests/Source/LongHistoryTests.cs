using System.Diagnostics;
using LibGit2Sharp;
using Reconciler.GitSource.Source;
using Reconciler.GitSource.Tests.Fixtures;
using Reconciler.Testing.Git;

namespace Reconciler.GitSource.Tests.Source;

/// <summary>A 10,000-commit history over git://: the first poll clones it all, the next fetches one commit.
/// Figures are printed; nothing asserts on time.</summary>
public sealed class LongHistoryTests : IDisposable
{
    private const int Commits = 10_000;
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task PollAsync_TenThousandCommits_IncrementalFetchFetchesOnlyTheNewCommit()
    {
        var watch = Stopwatch.StartNew();
        using var repo = new TestRepository(Path.Combine(_temp.Sub("served"), "big.git"));
        repo.Commit("Seed", "topology/lb.yaml", Samples.Seed);
        for (var i = 1; i < Commits; i++)
        {
            // Every 10th commit touches the topology (a weight), the others a changelog file.
            var files = i % 10 == 0
                ? new Dictionary<string, string?> { ["topology/lb.yaml"] = Samples.Seed.Replace("weight: 5", $"weight: {1 + (i / 10 % 200)}", StringComparison.Ordinal) }
                : new Dictionary<string, string?> { ["CHANGELOG.md"] = $"change {i}\n" };
            repo.Commit($"Change {i}", files);
        }

        var build = watch.Elapsed;

        // A real server keeps its objects packed: repack what libgit2 wrote loose.
        watch.Restart();
        Git.Run(repo.Path, ["repack", "-a", "-d", "-q"]);
        var repack = watch.Elapsed;
        using var daemon = new GitDaemon(Path.Combine(_temp.Path, "served"));

        // For comparison: the git CLI cloning the same repository from the same daemon.
        watch.Restart();
        Git.Run(_temp.Path, ["clone", "-q", "--bare", daemon.UrlOf("big.git"), Path.Combine(_temp.Path, "cli-clone.git")]);
        var cliClone = watch.Elapsed;
        var state = _temp.Sub("state");
        using var source = new GitTopologySource(new GitSourceOptions { Url = daemon.UrlOf("big.git"), Path = "topology", StateDirectory = state });

        watch.Restart();
        var first = Assert.IsType<PollResult.NewValid>(await source.PollAsync(TestContext.Current.CancellationToken));
        var clone = watch.Elapsed;
        Assert.Equal(repo.Tip!.Sha, first.Commit.Sha);

        watch.Restart();
        Assert.IsType<PollResult.Unchanged>(await source.PollAsync(TestContext.Current.CancellationToken));
        var unchanged = watch.Elapsed;

        var last = repo.Commit("One more", "topology/lb.yaml", Samples.Seed.Replace("weight: 5", "weight: 42", StringComparison.Ordinal));
        watch.Restart();
        var next = Assert.IsType<PollResult.NewValid>(await source.PollAsync(TestContext.Current.CancellationToken));
        var incremental = watch.Elapsed;
        Assert.Equal(last.Sha, next.Commit.Sha);

        watch.Restart();
        var history = source.History(maxCount: int.MaxValue);
        var log = watch.Elapsed;
        Assert.Equal(1 + ((Commits - 1) / 10) + 1, history.Count);

        var cacheDirectory = Directory.GetDirectories(Path.Combine(state, "git")).Single();
        using var cache = new Repository(cacheDirectory);
        Assert.Equal(Commits + 1, cache.Commits.QueryBy(new CommitFilter { IncludeReachableFrom = last.Sha }).Count());
        var packs = Directory.GetFiles(Path.Combine(cacheDirectory, "objects", "pack"), "*.pack").Select(f => new FileInfo(f).Length).Order().ToList();

        TestContext.Current.SendDiagnosticMessage(
            $"{Commits} commits: build {build.TotalSeconds:0.00} s, repack {repack.TotalSeconds:0.00} s; git CLI clone {cliClone.TotalMilliseconds:0} ms; first poll (clone over git://) {clone.TotalMilliseconds:0} ms; " +
            $"unchanged poll (ls-remote only) {unchanged.TotalMilliseconds:0} ms; poll with 1 new commit {incremental.TotalMilliseconds:0} ms; " +
            $"history of the topology path ({history.Count} commits) {log.TotalMilliseconds:0} ms; packs in cache: {string.Join(", ", packs.Select(p => $"{p / 1024.0:0.0} KiB"))}");
        Console.WriteLine($"FIGURES cli={cliClone.TotalMilliseconds:0}ms clone={clone.TotalMilliseconds:0}ms unchanged={unchanged.TotalMilliseconds:0}ms incremental={incremental.TotalMilliseconds:0}ms history={log.TotalMilliseconds:0}ms packs={string.Join('/', packs)}");

        // The second fetch brought one small pack: the new commit, its tree and blob, not the history again.
        Assert.Equal(2, packs.Count);
        Assert.True(packs[0] < packs[1] / 100, $"incremental pack {packs[0]} bytes vs initial {packs[1]} bytes");
    }

    public void Dispose() => _temp.Dispose();
}
