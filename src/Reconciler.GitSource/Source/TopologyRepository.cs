using LibGit2Sharp;
using Reconciler.GitSource.Diff;
using Reconciler.Topology.Loading;

namespace Reconciler.GitSource.Source;

/// <summary>
/// A repository to read topologies from, either a local repository read in place (work tree or bare: its HEAD and
/// refs as they are, nothing written) or the bare-clone cache of a URL in the state folder (<see cref="GitMirror"/>:
/// fetched branches are <c>refs/remotes/origin/*</c> there). The one handle the CLI and the agent read git through;
/// libgit2 failures come out as <see cref="GitSourceException"/>. Not thread-safe.
/// </summary>
public sealed class TopologyRepository : IDisposable
{
    private readonly GitMirror? _mirror;

    private TopologyRepository(Repository repository, GitMirror? mirror, string location)
    {
        Repository = repository;
        _mirror = mirror;
        Location = location;
    }

    /// <summary>True for the cache of a URL, false for a repository read in place.</summary>
    public bool IsCache => _mirror is not null;

    /// <summary>The URL (without user info) or the folder, for messages.</summary>
    public string Location { get; }

    internal Repository Repository { get; }

    internal GitMirror? Mirror => _mirror;

    /// <summary>Opens (creating it if needed) the cache of <see cref="GitSourceOptions.Url"/> in the state folder; no
    /// network yet. Throws <see cref="GitSourceException"/> for a bad URL, a refused ssh:// or an unusable state folder.</summary>
    public static TopologyRepository OpenCache(GitSourceOptions options)
    {
        var mirror = GitMirror.Open(options);
        return new TopologyRepository(mirror.Repository, mirror, RepositoryUrl.Redact(mirror.Url.Value));
    }

    /// <summary>Opens the repository <paramref name="path"/> is in, to read it as it is (no cache, no network).</summary>
    public static TopologyRepository OpenInPlace(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            var discovered = FindRepositoryOf(path)
                ?? throw new GitSourceException(GitSourceError.Configuration, $"{path} is not in a git repository");
            return new TopologyRepository(new Repository(discovered), null, path);
        }
        catch (LibGit2SharpException e)
        {
            throw new GitSourceException(GitSourceError.Configuration, $"{path}: {e.Message}", e);
        }
    }

    /// <summary>The repository <paramref name="path"/> is in: the nearest of it and its parents that is a work tree or a
    /// bare repository, as <c>git</c> finds it; null if none is. (Not <c>Repository.Discover</c>: its answer never reaches
    /// managed code in a NativeAOT executable, see <see cref="Native.Libgit2Native"/>.)</summary>
    internal static string? FindRepositoryOf(string path)
    {
        for (var directory = new DirectoryInfo(Path.GetFullPath(path)); directory is not null; directory = directory.Parent)
        {
            if (Repository.IsValid(directory.FullName))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    /// <summary>Fetches every branch and tag into the cache (nothing to do for a repository read in place).
    /// Throws <see cref="GitSourceException"/> (Unreachable) when the server cannot be reached.</summary>
    public void FetchAll() => _mirror?.FetchAll();

    /// <summary>A branch name as the cache holds it: the fetched <c>main</c> is <c>refs/remotes/origin/main</c> there
    /// (a tag of the same name wins, as git's own lookup order has it). Anything else is left as it is.</summary>
    public string Qualify(string revision)
    {
        ArgumentNullException.ThrowIfNull(revision);
        return IsCache && Repository.Refs["refs/tags/" + revision] is null && Repository.Refs["refs/remotes/origin/" + revision] is not null
            ? "refs/remotes/origin/" + revision
            : revision;
    }

    /// <summary>The commit <paramref name="revision"/> names in the repository as it is (no network); null when it
    /// names nothing or not a commit. Throws <see cref="GitSourceException"/> for a revision git cannot parse.</summary>
    public CommitInfo? Find(string revision)
    {
        ArgumentNullException.ThrowIfNull(revision);
        return Guard(() => Repository.Lookup<Commit>(revision) is { } commit ? CommitInfo.Of(commit) : null);
    }

    /// <summary><c>git log -- PATH</c> from the commit <paramref name="revision"/> names (see
    /// <see cref="GitTopologyReader.Log"/>), newest first.</summary>
    public IReadOnlyList<CommitInfo> Log(string revision, string? path, int maxCount = 1000) =>
        Guard(() => GitTopologyReader.Log(Repository, GitTopologyReader.ResolveCommit(Repository, revision), path, maxCount));

    /// <summary>The semantic difference between the topologies at two revisions (branch names as
    /// <see cref="Qualify"/> reads them), with the findings at the newer one.</summary>
    public TopologyDiff Diff(string oldRevision, string newRevision, string? path, TopologyLoaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(oldRevision);
        ArgumentNullException.ThrowIfNull(newRevision);
        return Guard(() => TopologyDiffer.CompareRevisions(Repository, Qualify(oldRevision), Qualify(newRevision), path, options));
    }

    /// <summary>Step one of an evaluation: the commit <paramref name="rev"/> names, else the tip of
    /// <paramref name="branch"/>. The cache asks the server (and fetches what it lacks); a repository read in place
    /// resolves it as it is (any revision git understands).</summary>
    internal Commit Resolve(string? rev, string branch)
    {
        if (_mirror is not null)
        {
            return _mirror.ResolveRemote(rev, branch);
        }

        return GitTopologyReader.ResolveCommit(Repository, rev ?? branch);
    }

    /// <summary>Whether the commit <paramref name="tip"/> names has the commit <paramref name="sha"/> in its history (or is
    /// it); false when either is not in the repository.</summary>
    public bool Reaches(string tip, string sha)
    {
        ArgumentNullException.ThrowIfNull(tip);
        ArgumentNullException.ThrowIfNull(sha);
        return RevisionNames.IsFullSha(sha) && Guard(() => FastForwardCheck.Descends(Repository, tip, sha));
    }

    /// <summary>Whether the commit <paramref name="sha"/> is here already (no network).</summary>
    internal bool Contains(string sha) => Guard(() => Repository.Lookup<Commit>(sha) is not null);

    internal static T Guard<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is NotFoundException or InvalidSpecificationException or AmbiguousSpecificationException)
        {
            throw new GitSourceException(GitSourceError.RevisionNotFound, e.Message, e);
        }
        catch (LibGit2SharpException e)
        {
            throw new GitSourceException(GitSourceError.Cache, $"git: {e.Message}", e);
        }
    }

    public void Dispose()
    {
        if (_mirror is null)
        {
            Repository.Dispose();
        }
        else
        {
            _mirror.Dispose();
        }
    }
}
