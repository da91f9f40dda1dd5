using LibGit2Sharp;
using Reconciler.GitSource.Source;
using Reconciler.GitSource.Tests.Fixtures;

namespace Reconciler.GitSource.Tests.Source;

public sealed class TopologyRepositoryTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void FindRepositoryOf_FolderDeepInAWorkTree_TheWorkTree()
    {
        var workTree = _temp.Sub("work");
        Repository.Init(workTree);
        var deep = _temp.Sub(Path.Combine("work", "directors", "eu"));

        Assert.Equal(workTree, TopologyRepository.FindRepositoryOf(deep));
        Assert.Equal(workTree, TopologyRepository.FindRepositoryOf(workTree));
    }

    [Fact]
    public void FindRepositoryOf_BareRepository_Itself()
    {
        using var bare = new TestRepository(_temp.Sub("origin.git"));

        Assert.Equal(bare.Path, TopologyRepository.FindRepositoryOf(bare.Path));
    }

    [Fact]
    public void FindRepositoryOf_FolderInNoRepository_NullAndOpenInPlaceSaysSo()
    {
        var outside = _temp.Sub("plain");

        Assert.Null(TopologyRepository.FindRepositoryOf(outside));
        var error = Assert.Throws<GitSourceException>(() => TopologyRepository.OpenInPlace(outside));
        Assert.Contains("is not in a git repository", error.Message, StringComparison.Ordinal);
    }
}
