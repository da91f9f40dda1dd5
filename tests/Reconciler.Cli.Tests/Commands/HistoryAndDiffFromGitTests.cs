using Reconciler.Cli.Tests.Fixtures;
using Reconciler.GitSource.Tests.Fixtures;

namespace Reconciler.Cli.Tests.Commands;

/// <summary><c>history</c> and <c>diff</c> share the git options: a local repository as before, or a URL read
/// through the cache in <c>--state-dir</c>, where branch names mean the fetched branches.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class HistoryAndDiffFromGitTests : IDisposable
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
            realServers:
              - {address: 10.0.0.3, port: 80, weight: WEIGHT}

        """;

    private readonly TempDirectory _temp = new();
    private readonly TestRepository _repository;
    private readonly string _state;

    public HistoryAndDiffFromGitTests()
    {
        _repository = new TestRepository(_temp.Sub("topology.git"));
        _state = _temp.Sub("state");
        _repository.Commit("Add web", "lb/topology.yaml", Topology.Replace("WEIGHT", "1", StringComparison.Ordinal));
        _repository.Commit("Weight 3", "lb/topology.yaml", Topology.Replace("WEIGHT", "3", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        _repository.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void History_RepoUrl_LogOfTheFetchedBranch()
    {
        var result = CliRun.Invoke("history", "--repo", _repository.FileUrl, "--path", "lb", "--state-dir", _state, "--node", "lb1");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Weight 3", result.Output, StringComparison.Ordinal);
        Assert.Contains("Add web", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void History_LocalRepository_ItsHead()
    {
        var result = CliRun.Invoke("history", "--repo", _repository.Path, "--path", "lb", "--state-dir", _state, "--node", "lb1");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Weight 3", result.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_state, "git")), "a local repository is read in place");
    }

    [Fact]
    public void Diff_RepoUrl_BranchNamesAndShasResolveInTheCache()
    {
        var first = _repository.Tip!.Parents.Single();

        var result = CliRun.Invoke("diff", "--repo", _repository.FileUrl, "--path", "lb", "--state-dir", _state, first.Sha, "main");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("weight", result.Output, StringComparison.Ordinal);
        Assert.Contains("1 -> 3", result.Output.Replace("→", "->", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Diff_UnknownRevision_OneLineError()
    {
        var result = CliRun.Invoke("diff", "--repo", _repository.Path, "nosuch", "main");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("reconciler: diff: unknown revision 'nosuch'", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }
}
