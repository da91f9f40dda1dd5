using LibGit2Sharp;

namespace Reconciler.GitSource.Source;

public sealed partial class GitMirror
{
    /// <summary>
    /// Finds the commit the options name, asking the server first and fetching only when the cache lacks it:
    /// a full sha already in the cache needs no network at all; a branch or tag costs one <c>ls-remote</c> when
    /// it has not moved. Throws <see cref="GitSourceException"/> (Unreachable or RevisionNotFound).
    /// </summary>
    public Commit ResolveRemote(out bool fetched)
    {
        fetched = false;
        var rev = _options.Rev;
        if (rev is not null && IsFullSha(rev))
        {
            if (Repository.Lookup<Commit>(rev) is { } pinned)
            {
                return pinned;
            }

            Fetch(["+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"]);
            fetched = true;
            return Repository.Lookup<Commit>(rev)
                ?? throw new GitSourceException(GitSourceError.RevisionNotFound, $"commit {rev} is not on any branch or tag of the repository");
        }

        var advertised = ListRemote();
        var (remoteRef, localRef) = Target(rev, advertised);
        var sha = advertised[remoteRef];
        var local = Repository.Refs[localRef];
        if (local?.TargetIdentifier != sha || Repository.Lookup(sha) is null)
        {
            Fetch([$"+{remoteRef}:{localRef}"]);
            fetched = true;
        }

        var target = Repository.Lookup(sha) ?? Repository.Refs[localRef]?.ResolveToDirectReference()?.Target
            ?? throw new GitSourceException(GitSourceError.RevisionNotFound, $"{remoteRef} points at {sha}, which the fetch did not bring");
        return target.Peel<Commit>()
            ?? throw new GitSourceException(GitSourceError.RevisionNotFound, $"{remoteRef} does not point at a commit");
    }

    private (string Remote, string Local) Target(string? rev, IReadOnlyDictionary<string, string> advertised)
    {
        if (rev is null)
        {
            var branch = "refs/heads/" + _options.Branch;
            return advertised.ContainsKey(branch)
                ? (branch, "refs/remotes/origin/" + _options.Branch)
                : throw new GitSourceException(GitSourceError.RevisionNotFound, $"the repository has no branch '{_options.Branch}'");
        }

        string[] candidates = rev.StartsWith("refs/", StringComparison.Ordinal) ? [rev] : ["refs/tags/" + rev, "refs/heads/" + rev];
        foreach (var name in candidates)
        {
            if (advertised.ContainsKey(name))
            {
                var local = name.StartsWith("refs/heads/", StringComparison.Ordinal) ? "refs/remotes/origin/" + name["refs/heads/".Length..] : name;
                return (name, local);
            }
        }

        throw new GitSourceException(GitSourceError.RevisionNotFound, $"the repository has no tag or branch '{rev}'");
    }

    /// <summary>The last fetched commit of the followed ref, without any network (for history and diff).</summary>
    public Commit? ResolveLocal()
    {
        var rev = _options.Rev;
        if (rev is null)
        {
            return Repository.Refs["refs/remotes/origin/" + _options.Branch]?.ResolveToDirectReference()?.Target?.Peel<Commit>();
        }

        try
        {
            return Repository.Lookup(rev)?.Peel<Commit>()
                ?? Repository.Lookup("refs/tags/" + rev)?.Peel<Commit>()
                ?? Repository.Lookup("refs/remotes/origin/" + rev)?.Peel<Commit>();
        }
        catch (LibGit2SharpException)
        {
            return null;
        }
    }
}
