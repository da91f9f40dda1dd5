using Reconciler.Topology.Diagnostics;

namespace Reconciler.GitSource.Source;

/// <summary>
/// The outcome of one poll. Every outcome carries the source's <see cref="Status"/>: the last attempted revision,
/// the last good one (Flux's lastAppliedRevision) and the topology still in force.
/// </summary>
public abstract record PollResult(SourceStatus Status)
{
    /// <summary>How long the poll spent asking the server and fetching (<c>ls-remote</c>, then a fetch when the ref
    /// moved), and then reading, verifying and validating the commit's topology: where a slow commit-to-applied went.</summary>
    public PollTimings Timings { get; init; } = PollTimings.None;

    /// <summary>The remote ref did not move (nothing fetched), or it points at the revision already evaluated.</summary>
    public sealed record Unchanged(SourceStatus Status) : PollResult(Status);

    /// <summary>A new commit whose topology is valid, verified and within the safety limit: apply it.
    /// <see cref="TopologyChanged"/> is false when the commit left the topology as it was (it touched other files):
    /// the agent may record it as skipped without planning.</summary>
    public sealed record NewValid(CommitInfo Commit, TopologyModel Topology, IReadOnlyList<Diagnostic> Warnings, SourceStatus Status) : PollResult(Status)
    {
        public bool TopologyChanged { get; init; } = true;
    }

    /// <summary>A new commit that must not be applied: every diagnostic (located in repository paths), and why.
    /// The last good topology stays in force.</summary>
    public sealed record Rejected(CommitInfo Commit, RejectionKind Kind, IReadOnlyList<Diagnostic> Diagnostics, SourceStatus Status) : PollResult(Status)
    {
        public IEnumerable<string> Reasons => Diagnostics.Where(d => d.IsError).Select(d => d.ToString());
    }

    /// <summary>The server could not be reached (or the fetch failed); try again after <see cref="RetryAfter"/>.
    /// The last good topology stays in force.</summary>
    public sealed record Unreachable(string Error, TimeSpan RetryAfter, int ConsecutiveFailures, SourceStatus Status) : PollResult(Status);
}

public enum RejectionKind
{
    /// <summary>The topology does not load or validate.</summary>
    Invalid,

    /// <summary>The commit is unsigned or its signature does not verify.</summary>
    Signature,

    /// <summary>The commit removes too many services (<see cref="SafetyLimit"/>).</summary>
    SafetyLimit,

    /// <summary>The followed ref moved to a commit that does not descend from the last applied one (a force-push:
    /// a rollback to an older commit, or rewritten history). Accepted only when the operator says so
    /// (<see cref="GitSourceOptions.AllowNonFastForward"/>, or <see cref="TipAcceptance"/> for one commit).</summary>
    NotFastForward,
}

/// <summary>Flux-style conditions.</summary>
public enum SourceCondition
{
    /// <summary>Nothing accepted yet and no failure: the first poll has not run.</summary>
    Reconciling,

    /// <summary>The last attempted revision is the last good one.</summary>
    Ready,

    /// <summary>The last attempt was rejected or the server is unreachable: the last good revision stays in force.</summary>
    Stalled,
}

/// <summary>The source's state after a poll.</summary>
/// <param name="LastAttemptedRevision">The newest commit evaluated, good or not.</param>
/// <param name="LastAppliedRevision">The commit of <paramref name="LastGood"/> (Flux's name for it).</param>
public sealed record SourceStatus(
    SourceCondition Condition,
    string? LastAttemptedRevision,
    string? LastAppliedRevision,
    GoodRevision? LastGood,
    string? Message,
    DateTimeOffset? NextAttemptAt);

/// <summary>A commit whose topology was accepted, with that topology.</summary>
public sealed record GoodRevision(CommitInfo Commit, TopologyModel Topology);

/// <summary>The two halves of one poll: the network (resolve the ref, fetch) and the commit's evaluation (load,
/// signature, validation, safety limit). <see cref="Evaluate"/> is zero when no new commit was evaluated.</summary>
public sealed record PollTimings(TimeSpan Resolve, TimeSpan Evaluate)
{
    public static readonly PollTimings None = new(TimeSpan.Zero, TimeSpan.Zero);

    public override string ToString() =>
        FormattableString.Invariant($"fetched in {Resolve.TotalMilliseconds:0} ms, evaluated in {Evaluate.TotalMilliseconds:0} ms");
}
