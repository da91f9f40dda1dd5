using LibGit2Sharp;

namespace Reconciler.GitSource.Source;

public sealed partial class GitMirror
{
    private const string BranchesRefspec = "+refs/heads/*:refs/remotes/origin/*";

    private const string TagsRefspec = "+refs/tags/*:refs/tags/*";

    /// <summary>
    /// Finds the commit <paramref name="rev"/> names (else the tip of <paramref name="branch"/>), fetching only what the
    /// cache lacks: a full sha already in the cache needs no network at all; the tip of a followed branch costs one
    /// connection, a fetch of that branch alone (the server's advertisement tells whether it moved, and an unmoved
    /// branch transfers nothing); a tag, or a branch given as <paramref name="rev"/>, costs one <c>ls-remote</c> when it
    /// has not moved. An abbreviated sha is not something a server advertises: when no branch or tag has that name, it
    /// is looked up in the cache, and after fetching every branch and tag when the cache lacks it. Throws
    /// <see cref="GitSourceException"/> (Unreachable or RevisionNotFound).
    /// </summary>
    public Commit ResolveRemote(string? rev, string branch)
    {
        ArgumentNullException.ThrowIfNull(branch);
        if (rev is not null && IsFullSha(rev))
        {
            if (Repository.Lookup<Commit>(rev) is { } pinned)
            {
                return pinned;
            }

            FetchAll();
            return Repository.Lookup<Commit>(rev)
                ?? throw new GitSourceException(GitSourceError.RevisionNotFound, $"commit {rev} is not on any branch or tag of the repository");
        }

        if (rev is null && FetchBranchTip(branch) is { } tip)
        {
            return tip;
        }

        var advertised = ListRemote();
        if (Target(rev, branch, advertised) is not { } followed)
        {
            return ResolveAbbreviated(rev!);
        }

        var (remoteRef, localRef) = followed;
        var sha = advertised[remoteRef];
        var local = Repository.Refs[localRef];
        if (local?.TargetIdentifier != sha || Repository.Lookup(sha) is null)
        {
            Fetch([$"+{remoteRef}:{localRef}"]);
        }

        var target = Repository.Lookup(sha) ?? Repository.Refs[localRef]?.ResolveToDirectReference()?.Target
            ?? throw new GitSourceException(GitSourceError.RevisionNotFound, $"{remoteRef} points at {sha}, which the fetch did not bring");
        return target.Peel<Commit>()
            ?? throw new GitSourceException(GitSourceError.RevisionNotFound, $"{remoteRef} does not point at a commit");
    }

    /// <summary>
    /// The followed branch's tip in one connection: a fetch of that branch alone, whose result libgit2 records in
    /// <c>FETCH_HEAD</c> (one line naming the branch, or none when the server has no such branch). Null when the
    /// record does not name this branch (the branch is gone from the server, or another process fetched into the same
    /// cache meanwhile): the caller then asks the server with an <c>ls-remote</c>, which tells those apart.
    /// </summary>
    private Commit? FetchBranchTip(string branch)
    {
        var record = System.IO.Path.Combine(Directory, "FETCH_HEAD");
        try
        {
            File.Delete(record);
            Fetch([$"+refs/heads/{branch}:refs/remotes/origin/{branch}"]);
            var sha = FetchedSha(File.Exists(record) ? File.ReadAllText(record) : string.Empty, branch);
            return sha is null ? null : Repository.Lookup(sha)?.Peel<Commit>();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GitSourceException(GitSourceError.Cache, $"cannot use the git cache in {Directory}: {e.Message}", e);
        }
    }

    /// <summary>The sha that a <c>FETCH_HEAD</c> text records for <paramref name="branch"/> (lines
    /// <c>SHA TAB [not-for-merge] TAB branch 'NAME' of URL</c>); null when no line names it.</summary>
    internal static string? FetchedSha(string fetchHead, string branch)
    {
        var description = $"branch '{branch}' of ";
        foreach (var line in fetchHead.Split('\n'))
        {
            var fields = line.Split('\t');
            if (fields.Length == 3 && RevisionNames.IsFullSha(fields[0]) && fields[2].StartsWith(description, StringComparison.Ordinal))
            {
                return fields[0];
            }
        }

        return null;
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

    private Commit ResolveAbbreviated(string rev)
    {
        if (LookupAbbreviated(rev) is { } cached)
        {
            return cached;
        }

        FetchAll();
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
