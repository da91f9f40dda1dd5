using LibGit2Sharp;
using Reconciler.GitSource.Signing;
using Reconciler.Topology.Diagnostics;

namespace Reconciler.GitSource.Source;

/// <summary>
/// The one evaluation of a commit, for the CLI and the agent alike, in this order, stopping at the first check that
/// rejects: resolve the revision to a commit; when asked, refuse one that does not descend from the last applied
/// commit (<see cref="FastForwardCheck"/>); verify its signature (when the policy requires one: an unsigned
/// commit is never read further); load the topology from git objects; validate it (schema, then semantics: every
/// finding, located); apply the safety limit against the previous topology (when one is given).
/// </summary>
public sealed class CommitEvaluator
{
    private readonly TimeProvider _time;

    public CommitEvaluator(EvaluationOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _time = time ?? TimeProvider.System;
    }

    public EvaluationOptions Options { get; }

    /// <summary>
    /// Evaluates the commit <see cref="EvaluationOptions.Rev"/> (else the tip of the branch) names in
    /// <paramref name="repository"/>. <paramref name="previous"/> is the topology in force, for the safety limit
    /// (none checked without it); when the revision resolves to <paramref name="alreadyEvaluated"/>, nothing more is
    /// done (<see cref="CommitOutcome.AlreadyEvaluated"/>). With <paramref name="fastForward"/>, a commit that does not
    /// descend from the last applied one is rejected first (<see cref="RejectionKind.NotFastForward"/>). Throws <see cref="GitSourceException"/> when the revision
    /// cannot be resolved (Unreachable, RevisionNotFound) or the repository cannot be read (Cache): a commit that
    /// fails a check is an outcome, not an exception.
    /// </summary>
    public CommitEvaluation Evaluate(TopologyRepository repository, TopologyModel? previous = null, string? alreadyEvaluated = null, FastForwardCheck? fastForward = null)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var started = _time.GetTimestamp();
        var commit = TopologyRepository.Guard(() => repository.Resolve(Options.Rev, Options.Branch));
        var resolved = _time.GetTimestamp();
        var info = CommitInfo.Of(commit);
        if (string.Equals(commit.Sha, alreadyEvaluated, StringComparison.OrdinalIgnoreCase))
        {
            return new CommitEvaluation(info, new CommitOutcome.AlreadyEvaluated(), new PollTimings(_time.GetElapsedTime(started, resolved), TimeSpan.Zero));
        }

        string? signer = null;
        var outcome = TopologyRepository.Guard(() => Check(repository, commit, previous, fastForward, out signer));
        return new CommitEvaluation(info with { Signer = signer }, outcome, new PollTimings(_time.GetElapsedTime(started, resolved), _time.GetElapsedTime(resolved)));
    }

    private CommitOutcome Check(TopologyRepository repository, Commit commit, TopologyModel? previous, FastForwardCheck? fastForward, out string? signer)
    {
        signer = null;
        if (fastForward?.Refusal(repository.Repository, commit) is { } rollback)
        {
            return new CommitOutcome.Rejected(RejectionKind.NotFastForward, [Diagnostic.Error("not-fast-forward", rollback, null)]);
        }

        if (Options.Signatures.Required)
        {
            var verdict = new SignatureVerifier(Options.Signatures).Verify(repository.Repository, commit.Id);
            if (!verdict.Verified)
            {
                return new CommitOutcome.Rejected(RejectionKind.Signature, [Diagnostic.Error("signature", $"commit {commit.Sha}: {verdict.Detail}", null)]);
            }

            signer = verdict.Signer;
        }

        var result = GitTopologyReader.Load(commit, Options.Path, Options.Loader);
        if (!result.IsValid)
        {
            return new CommitOutcome.Rejected(RejectionKind.Invalid, result.Diagnostics);
        }

        if (previous is not null && Options.Safety.Check(previous, result.Topology!, commit.Sha) is { } refusal)
        {
            return new CommitOutcome.Rejected(RejectionKind.SafetyLimit, [Diagnostic.Error("safety-limit", refusal, null), .. result.Diagnostics]);
        }

        return new CommitOutcome.Valid(result.Topology!, result.Diagnostics);
    }
}
