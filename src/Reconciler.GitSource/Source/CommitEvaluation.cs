using Reconciler.Topology.Diagnostics;
using Reconciler.Topology.Loading;

namespace Reconciler.GitSource.Source;

/// <summary>One commit's evaluation (<see cref="CommitEvaluator"/>): which commit, what came of it, and how long
/// resolving it and evaluating it took.</summary>
public sealed record CommitEvaluation(CommitInfo Commit, CommitOutcome Outcome, PollTimings Timings)
{
    public bool IsValid => Outcome is CommitOutcome.Valid;

    /// <summary>The outcome as a load result (the topology and its warnings, or every finding without a topology),
    /// for callers that print findings the way they print those of files.</summary>
    public TopologyLoadResult ToLoadResult() => Outcome switch
    {
        CommitOutcome.Valid valid => new TopologyLoadResult(valid.Topology, valid.Warnings),
        CommitOutcome.Rejected rejected => new TopologyLoadResult(null, rejected.Diagnostics),
        _ => new TopologyLoadResult(null, []),
    };
}

/// <summary>What came of evaluating a commit.</summary>
public abstract record CommitOutcome
{
    private CommitOutcome()
    {
    }

    /// <summary>Signed as required, valid and within the safety limit: the topology, with any warnings.</summary>
    public sealed record Valid(TopologyModel Topology, IReadOnlyList<Diagnostic> Warnings) : CommitOutcome;

    /// <summary>Must not be applied: why (<see cref="Kind"/>, the first check that failed) and every finding, each
    /// located at its path in the repository (<c>path/in/repo.yaml:line:column</c>) when it has a place.</summary>
    public sealed record Rejected(RejectionKind Kind, IReadOnlyList<Diagnostic> Diagnostics) : CommitOutcome
    {
        public IEnumerable<string> Reasons => Diagnostics.Where(d => d.IsError).Select(d => d.ToString());
    }

    /// <summary>The revision resolved to the commit the caller had evaluated already: nothing was read or checked.</summary>
    public sealed record AlreadyEvaluated : CommitOutcome;
}
