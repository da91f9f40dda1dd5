using LibGit2Sharp;

namespace Reconciler.GitSource.Source;

/// <summary>
/// No silent rollback: a new tip must descend from <see cref="LastApplied"/> (git's fast-forward rule, checked with
/// libgit2's merge base in the local cache), or from <see cref="AcceptedTip"/>, the one commit the operator accepted
/// (<see cref="TipAcceptance"/>). <see cref="Origin"/> says where <see cref="LastApplied"/> came from, for the reason.
/// </summary>
public sealed record FastForwardCheck(string LastApplied, string Origin, string? AcceptedTip = null, string? AcceptanceProblem = null)
{
    /// <summary>Why <paramref name="tip"/> must not be applied, or null when it may.</summary>
    internal string? Refusal(Repository repository, Commit tip)
    {
        if (string.Equals(tip.Sha, LastApplied, StringComparison.OrdinalIgnoreCase)
            || (AcceptedTip is not null && Descends(repository, tip, AcceptedTip)))
        {
            return null;
        }

        var lastApplied = repository.Lookup<Commit>(LastApplied);
        if (lastApplied is not null && Descends(repository, tip, lastApplied))
        {
            return null;
        }

        var what = lastApplied is null
            ? $"the last applied commit {LastApplied} ({Origin}) is not in the repository any more: history was rewritten"
            : Descends(repository, lastApplied, tip)
                ? $"it is older than the last applied commit {LastApplied} ({Origin}): a rollback by force-push"
                : $"it does not share the history of the last applied commit {LastApplied} ({Origin}): rewritten history";
        var acceptance = AcceptanceProblem is null ? "" : $" ({AcceptanceProblem})";
        return $"commit {tip.Sha} does not descend from the last applied commit {LastApplied}; {what}. The last good topology stays. "
            + $"If the rewrite is intended, accept this commit once with `reconciler agent accept-tip {tip.Sha}` on this node{acceptance}, "
            + "or set allowNonFastForward";
    }

    /// <summary>True when <paramref name="descendant"/> is <paramref name="ancestor"/> or has it in its history.</summary>
    internal static bool Descends(Repository repository, Commit descendant, string ancestor) =>
        repository.Lookup<Commit>(ancestor) is { } commit && Descends(repository, descendant, commit);

    /// <summary>True when the commit <paramref name="descendant"/> names is <paramref name="ancestor"/> or has it in its history.</summary>
    internal static bool Descends(Repository repository, string descendant, string ancestor) =>
        repository.Lookup<Commit>(descendant) is { } commit && Descends(repository, commit, ancestor);

    private static bool Descends(Repository repository, Commit descendant, Commit ancestor) =>
        descendant.Id == ancestor.Id || repository.ObjectDatabase.FindMergeBase(descendant, ancestor)?.Id == ancestor.Id;
}
