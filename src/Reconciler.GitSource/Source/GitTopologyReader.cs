using System.Text;
using LibGit2Sharp;
using Reconciler.Topology.Diagnostics;
using Reconciler.Topology.Loading;

namespace Reconciler.GitSource.Source;

/// <summary>
/// Reads a topology straight from git objects (no work tree), from any repository, bare or not. The topology
/// path is a folder (its <c>*.yaml</c> and <c>*.yml</c> files, not its subfolders, in ordinal order, exactly as
/// <see cref="TopologyLoader.LoadPaths"/> reads a folder on disk) or a single file. Documents are named by their
/// path in the repository, so every diagnostic points at <c>path/in/repo.yaml:line:column</c>.
/// </summary>
public static class GitTopologyReader
{
    /// <summary>Normalises a path in the repository: no leading or trailing slash; "" is the root.</summary>
    public static string NormalizePath(string? path)
    {
        var trimmed = (path ?? "").Trim('/');
        return trimmed is "." ? "" : trimmed;
    }

    /// <summary>The documents under <paramref name="path"/> at <paramref name="commit"/>, and what prevented reading any.</summary>
    public static (IReadOnlyList<TopologyDocument> Documents, IReadOnlyList<Diagnostic> Diagnostics) ReadDocuments(
        Commit commit, string? path, TopologyLoaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(commit);
        options ??= TopologyLoaderOptions.Default;
        path = NormalizePath(path);
        var diagnostics = new List<Diagnostic>();
        var documents = new List<TopologyDocument>();
        GitObject? target = path.Length == 0 ? commit.Tree : commit.Tree[path]?.Target;
        var shown = path.Length == 0 ? "/" : path;
        switch (target)
        {
            case null:
                diagnostics.Add(Diagnostic.Error("no-files", $"{shown}: no such file or directory at commit {commit.Sha[..12]}", null));
                break;
            case Blob blob:
                Read(path, blob, options, documents, diagnostics);
                break;
            case Tree tree:
                var files = tree
                    .Where(e => e.TargetType == TreeEntryTargetType.Blob && (e.Name.EndsWith(".yaml", StringComparison.Ordinal) || e.Name.EndsWith(".yml", StringComparison.Ordinal)))
                    .OrderBy(e => e.Name, StringComparer.Ordinal)
                    .ToList();
                foreach (var entry in files)
                {
                    if (entry.Mode == Mode.SymbolicLink)
                    {
                        diagnostics.Add(Diagnostic.Error("symlink", $"{entry.Path}: symbolic links are not followed in a git source", null));
                        continue;
                    }

                    Read(entry.Path, (Blob)entry.Target, options, documents, diagnostics);
                }

                if (files.Count == 0)
                {
                    diagnostics.Add(Diagnostic.Error("no-files", $"{shown}: the directory has no *.yaml or *.yml files at commit {commit.Sha[..12]}", null));
                }

                break;
            default:
                diagnostics.Add(Diagnostic.Error("no-files", $"{shown}: not a file or directory at commit {commit.Sha[..12]}", null));
                break;
        }

        long total = documents.Sum(d => (long)d.Text.Length);
        if (total > options.MaxTotalBytes)
        {
            diagnostics.Add(Diagnostic.Error("too-large", $"the topology files total {total} bytes; the limit is {options.MaxTotalBytes}", null));
            documents.Clear();
        }

        return (documents, diagnostics);
    }

    private static void Read(string name, Blob blob, TopologyLoaderOptions options, List<TopologyDocument> documents, List<Diagnostic> diagnostics)
    {
        if (blob.Size > options.MaxFileBytes)
        {
            diagnostics.Add(Diagnostic.Error("too-large", $"the file is {blob.Size} bytes; the limit is {options.MaxFileBytes}", new SourceLocation(name, 1, 1)));
            return;
        }

        documents.Add(new TopologyDocument(name, blob.GetContentText(Encoding.UTF8)));
    }

    /// <summary>Loads and validates the topology at <paramref name="commit"/>.</summary>
    public static TopologyLoadResult Load(Commit commit, string? path, TopologyLoaderOptions? options = null) =>
        Load(ReadDocuments(commit, path, options), options);

    /// <summary>Loads and validates documents read by <see cref="ReadDocuments"/> (no git involved: it may run on
    /// any thread).</summary>
    public static TopologyLoadResult Load(
        (IReadOnlyList<TopologyDocument> Documents, IReadOnlyList<Diagnostic> Diagnostics) read, TopologyLoaderOptions? options = null)
    {
        var (documents, diagnostics) = read;
        if (diagnostics.Any(d => d.IsError))
        {
            return new TopologyLoadResult(null, diagnostics);
        }

        var result = TopologyLoader.LoadDocuments(documents, options);
        return diagnostics.Count == 0 ? result : result with { Diagnostics = [.. diagnostics, .. result.Diagnostics] };
    }

    /// <summary>Loads the topology at any revision git understands (<c>HEAD~2</c>, a tag, a sha) of the repository at
    /// <paramref name="repositoryPath"/> (a work tree or a bare repository). For <c>reconciler diff</c>.</summary>
    public static (CommitInfo Commit, TopologyLoadResult Result) Load(string repositoryPath, string revision, string? path, TopologyLoaderOptions? options = null)
    {
        using var repository = OpenRepository(repositoryPath);
        var commit = ResolveCommit(repository, revision);
        return (CommitInfo.Of(commit), Load(commit, path, options));
    }

    internal static Repository OpenRepository(string repositoryPath)
    {
        var discovered = TopologyRepository.FindRepositoryOf(repositoryPath)
            ?? throw new GitSourceException(GitSourceError.Configuration, $"{repositoryPath} is not in a git repository");
        return new Repository(discovered);
    }

    internal static Commit ResolveCommit(Repository repository, string revision)
    {
        if (revision.StartsWith('-'))
        {
            throw new GitSourceException(GitSourceError.RevisionNotFound, $"invalid revision '{revision}'");
        }

        try
        {
            return repository.Lookup(revision)?.Peel<Commit>()
                ?? throw new GitSourceException(GitSourceError.RevisionNotFound, $"unknown revision '{revision}'");
        }
        catch (LibGit2SharpException e)
        {
            throw new GitSourceException(GitSourceError.RevisionNotFound, $"unknown revision '{revision}': {e.Message}", e);
        }
    }

    /// <summary>
    /// <c>git log -- PATH</c>: commits reachable from <paramref name="tip"/> that changed the topology path, newest
    /// first (a commit is shown when the path differs from every parent: merges that took one side unchanged are
    /// skipped, as git's default history simplification does).
    /// </summary>
    public static IReadOnlyList<CommitInfo> Log(Repository repository, Commit tip, string? path, int maxCount = 1000)
    {
        ArgumentNullException.ThrowIfNull(repository);
        path = NormalizePath(path);
        var filter = new CommitFilter
        {
            IncludeReachableFrom = tip,
            SortBy = CommitSortStrategies.Topological | CommitSortStrategies.Time,
        };
        var result = new List<CommitInfo>();
        foreach (var commit in repository.Commits.QueryBy(filter))
        {
            var id = EntryId(commit, path);
            var parents = commit.Parents.ToList();
            var touched = parents.Count == 0 ? id is not null : parents.All(p => EntryId(p, path) != id);
            if (touched)
            {
                result.Add(CommitInfo.Of(commit));
                if (result.Count >= maxCount)
                {
                    break;
                }
            }
        }

        return result;
    }

    private static ObjectId? EntryId(Commit commit, string path) =>
        path.Length == 0 ? commit.Tree.Id : commit.Tree[path]?.Target.Id;
}
