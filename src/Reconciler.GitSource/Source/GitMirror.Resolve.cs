using LibGit2Sharp;

namespace Reconciler.GitSource.Source;

public sealed partial class GitMirror
{
    private const string BranchesRefspec = "+refs/heads/*:refs/remotes/origin/*";

    private const string TagsRefspec = "+refs/tags/*:refs/tags/*";

    /// <summary>The commit the options name (<see cref="ResolveRemote(string?, string, out bool)"/> with their rev and branch).</summary>
    public Commit ResolveRemote(out bool fetched) => ResolveRemote(_options.Rev, _options.Branch, out fetched);

    /// <summary>
    /// Finds the commit <paramref name="rev"/> names (else the tip of <paramref name="branch"/>), asking the server
    /// first and fetching only when the cache lacks it: a full sha already in the cache needs no network at all; a
    /// branch or tag costs one <c>ls-remote</c> when it has not moved. An abbreviated sha is not something a server
    /// advertises: when no branch or tag has that name, it is looked up in the cache, and after fetching every branch
    /// and tag when the cache lacks it. Throws <see cref="GitSourceException"/> (Unreachable or RevisionNotFound).
    /// </summary>
    public Commit ResolveRemote(string? rev, string branch, out bool fetched)
    {
        ArgumentNullException.ThrowIfNull(branch);
        fetched = false;
        if (rev is not null && IsFullSha(rev))
        {
            if (Repository.Lookup<Commit>(rev) is { } pinned)
            {
                return pinned;
            }

            FetchAll();
            fetched = true;
            return Repository.Lookup<Commit>(rev)
                ?? throw new GitSourceException(GitSourceError.RevisionNotFound, $"commit {rev} is not on any branch or tag of the repository");
        }

        var advertised = ListRemote();
        if (Target(rev, branch, advertised) is not { } followed)
        {
            return ResolveAbbreviated(rev!, ref fetched);
        }

        var (remoteRef, localRef) = followed;
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

    /// <summary>Fetches every branch (as <c>refs/remotes/origin/*</c>) and every tag.</summary>
    public void FetchAll() => Fetch([BranchesRefspec, TagsRefspec]);

    /// <summary>The advertised ref to follow and where the cache keeps it; null for an abbreviated sha that no
    /// branch or tag is named like.</summary>
    private static (string Remote, string Local)? Target(string? rev, string branch, IReadOnlyDictionary<string, string> advertised)
    {
        if (rev is null)
        {
            var head = "refs/heads/" + branch;
            return advertised.ContainsKey(head)
                ? (head, "refs/remotes/origin/" + branch)
                : throw new GitSourceException(GitSourceError.RevisionNotFound, $"the repository has no branch '{branch}'");
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

        return IsAbbreviatedSha(rev)
            ? null
            : throw new GitSourceException(GitSourceError.RevisionNotFound, $"the repository has no tag or branch '{rev}'");
    }

    private Commit ResolveAbbreviated(string rev, ref bool fetched)
    {
        if (LookupAbbreviated(rev) is { } cached)
        {
            return cached;
        }

        FetchAll();
        fetched = true;
        return LookupAbbreviated(rev)
            ?? throw new GitSourceException(GitSourceError.RevisionNotFound, $"the repository has no tag, branch or commit '{rev}'");
    }

    private Commit? LookupAbbreviated(string rev)
    {
        try
        {
            return Repository.Lookup<Commit>(rev);
        }
        catch (AmbiguousSpecificationException)
        {
            throw new GitSourceException(GitSourceError.RevisionNotFound, $"the abbreviated commit '{rev}' is ambiguous: give more digits");
        }
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
