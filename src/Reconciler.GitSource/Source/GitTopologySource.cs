using System.Text.Json;
using Reconciler.Planning.Storage;

namespace Reconciler.GitSource.Source;

/// <summary>
/// The agent's view of the topology repository. Each <see cref="PollAsync"/> asks the server where the followed
/// ref points (<c>ls-remote</c>), fetches only when it moved, and evaluates that commit as the CLI does
/// (<see cref="CommitEvaluator"/>: signature when required, then load, validation and the safety limit against the
/// last good topology). A commit that fails any of these, or a server that cannot be reached, never replaces the
/// last good topology. The last good revision is
/// recorded in the state folder and restored (re-read from the cache, re-verified) after a restart.
/// <para>No silent rollback: unless <see cref="GitSourceOptions.AllowNonFastForward"/>, a tip that does not descend
/// from the last applied commit is rejected (<see cref="RejectionKind.NotFastForward"/>) until the operator accepts
/// that commit (<see cref="TipAcceptance"/>). The last applied commit survives restarts in <c>git-source.json</c>;
/// when that file is lost, the audit journal's last commit that was not rejected takes its place (restored and
/// re-verified the same way), so a lost state file does not switch the protection off.</para>
/// </summary>
public sealed class GitTopologySource : IDisposable
{
    private const string StateFileName = "git-source.json";
    private readonly GitSourceOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _path;
    private readonly CommitEvaluator _evaluator;
    private TopologyRepository? _repository;
    private bool _restored;
    private GoodRevision? _lastGood;
    private string? _lastAttempted;
    private string? _fastForwardBase;
    private string _fastForwardOrigin = "recorded in git-source.json";
    private string? _acceptanceTried;
    private string? _message;
    private SourceCondition _condition = SourceCondition.Reconciling;
    private int _failures;
    private DateTimeOffset? _nextAttemptAt;

    /// <summary>Validates the options (URL, ref names, ssh:// on a safe libgit2) at once; touches no network.</summary>
    public GitTopologySource(GitSourceOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = time ?? TimeProvider.System;
        _path = GitTopologyReader.NormalizePath(options.Path);
        RepositoryUrl.Parse(options.Url);
        _evaluator = new CommitEvaluator(EvaluationOptions.Of(options), _time);
    }

    public SourceStatus Status => new(_condition, _lastAttempted, _lastGood?.Commit.Sha, _lastGood, _message, _nextAttemptAt);

    /// <summary>The topology in force: the last good one (null until one was accepted).</summary>
    public GoodRevision? LastGood => _lastGood;

    /// <summary>One poll. Never throws for a server, repository or topology problem: those are outcomes.
    /// Throws <see cref="GitSourceException"/> only for bad options or an unusable state folder.</summary>
    public async Task<PollResult> PollAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await Task.Run(Poll, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// After a restart: the last good revision from the state folder and the cache, re-verified, with no network (what
    /// the first <see cref="PollAsync"/> would also restore before asking the server). The agent puts it in force at
    /// once, as keepalived reads its configuration file, rather than after the server answered or timed out.
    /// Null when there is none. Throws <see cref="GitSourceException"/> only for an unusable state folder.
    /// </summary>
    public async Task<GoodRevision?> RestoreAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await Task.Run(() =>
            {
                Restore(Repository());
                return _lastGood;
            }, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Commits that touched the topology path on the followed ref, newest first, from the cache (no network).</summary>
    public IReadOnlyList<CommitInfo> History(int maxCount = 1000)
    {
        _gate.Wait();
        try
        {
            var mirror = Repository().Mirror!;
            var tip = mirror.ResolveLocal();
            return tip is null ? [] : GitTopologyReader.Log(mirror.Repository, tip, _path, maxCount);
        }
        finally
        {
            _gate.Release();
        }
    }

    private PollResult Poll()
    {
        var repository = Repository();
        Restore(repository);
        var fastForward = FastForward();
        // A newly written acceptance re-evaluates the tip already rejected (once: not at every poll).
        var alreadyEvaluated = fastForward?.AcceptedTip is { } accepted && accepted != _acceptanceTried ? null : _lastAttempted;
        _acceptanceTried = fastForward?.AcceptedTip;
        CommitEvaluation evaluation;
        try
        {
            evaluation = _evaluator.Evaluate(repository, _lastGood?.Topology, alreadyEvaluated, fastForward);
        }
        catch (GitSourceException e) when (e.Error is GitSourceError.Unreachable or GitSourceError.RevisionNotFound)
        {
            _failures++;
            var delay = _options.Backoff.DelayAfter(_failures);
            _nextAttemptAt = _time.GetUtcNow() + delay;
            _condition = SourceCondition.Stalled;
            _message = e.Message;
            return new PollResult.Unreachable(e.Message, delay, _failures, Status);
        }

        _failures = 0;
        _nextAttemptAt = null;
        var info = evaluation.Commit;
        switch (evaluation.Outcome)
        {
            case CommitOutcome.AlreadyEvaluated:
                return new PollResult.Unchanged(Status);
            case CommitOutcome.Rejected rejected:
                _lastAttempted = info.Sha;
                _condition = SourceCondition.Stalled;
                _message = $"commit {info.ShortSha} rejected ({rejected.Kind}): {rejected.Diagnostics.FirstOrDefault(d => d.IsError)}";
                SaveState();
                return new PollResult.Rejected(info, rejected.Kind, rejected.Diagnostics, Status) { Timings = evaluation.Timings };
            case CommitOutcome.Valid valid:
                _lastAttempted = info.Sha;
                var changed = _lastGood is null || !_lastGood.Topology.Equals(valid.Topology);
                _lastGood = new GoodRevision(info, valid.Topology);
                _fastForwardBase = info.Sha;
                _fastForwardOrigin = "recorded in git-source.json";
                _condition = SourceCondition.Ready;
                _message = $"commit {info.ShortSha} accepted";
                SaveState();
                if (fastForward?.AcceptedTip is { } used && FastForwardCheck.Descends(repository.Repository, info.Sha, used))
                {
                    TipAcceptance.Consume(_options.StateDirectory, used);
                }

                return new PollResult.NewValid(info, valid.Topology, valid.Warnings, Status) { TopologyChanged = changed, Timings = evaluation.Timings };
            default:
                throw new InvalidOperationException($"unexpected outcome {evaluation.Outcome}");
        }
    }

    private TopologyRepository Repository() => _repository ??= TopologyRepository.OpenCache(_options);

    /// <summary>The fast-forward rule for this poll: none when allowed, for a pinned full sha (the operator's own
    /// choice) or before anything was ever applied.</summary>
    private FastForwardCheck? FastForward()
    {
        if (_options.AllowNonFastForward || (_options.Rev is { } rev && GitMirror.IsFullSha(rev)) || _fastForwardBase is not { } lastApplied)
        {
            return null;
        }

        var accepted = TipAcceptance.Read(_options.StateDirectory, out var problem);
        return new FastForwardCheck(lastApplied, _fastForwardOrigin, accepted, problem);
    }

    /// <param name="FastForwardBase">The last applied commit for the fast-forward rule; null in files written before
    /// it existed (then <paramref name="LastAppliedRevision"/> is).</param>
    internal sealed record PersistedState(string Url, string Path, string? LastAppliedRevision, string? LastAttemptedRevision, string? FastForwardBase = null);

    private string StateFile => System.IO.Path.Combine(_options.StateDirectory, StateFileName);

    /// <summary>After a restart: the last good commit is re-read from the cache and re-verified (not re-limited).
    /// Without a usable <c>git-source.json</c>, the audit journal's last commit that was not rejected stands in.</summary>
    private void Restore(TopologyRepository repository)
    {
        if (_restored)
        {
            return;
        }

        _restored = true;
        PersistedState? state;
        try
        {
            state = File.Exists(StateFile) ? JsonSerializer.Deserialize(File.ReadAllText(StateFile), GitSourceJsonContext.Default.PersistedState) : null;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            state = null;
        }

        string? sha;
        if (state is not null)
        {
            if (state.Url != _options.Url)
            {
                return; // another repository: its history says nothing about this one
            }

            _fastForwardBase = state.FastForwardBase ?? state.LastAppliedRevision;
            sha = state.Path == _path ? state.LastAppliedRevision : null;
        }
        else
        {
            sha = LastJournaledCommit();
            _fastForwardBase = sha;
            _fastForwardOrigin = "the audit journal's last applied commit: git-source.json was missing or unreadable";
        }

        if (sha is null || !GitMirror.IsFullSha(sha) || !repository.Contains(sha))
        {
            return;
        }

        // The same evaluation as a poll's, pinned to the recorded commit (found in the cache: no network) and without
        // a previous topology (so without the safety limit).
        CommitEvaluation evaluation;
        try
        {
            evaluation = new CommitEvaluator(_evaluator.Options with { Rev = sha }, _time).Evaluate(repository);
        }
        catch (GitSourceException)
        {
            return;
        }

        if (evaluation.Outcome is CommitOutcome.Valid valid)
        {
            _lastGood = new GoodRevision(evaluation.Commit, valid.Topology);
            _lastAttempted = sha;
            _condition = SourceCondition.Ready;
        }
    }

    /// <summary>The newest commit the audit journal in the state folder records as not rejected (applied, skipped or
    /// failed: the source had accepted it); null without a journal.</summary>
    private string? LastJournaledCommit()
    {
        try
        {
            return Audit.AuditJournal.InStateDirectory(_options.StateDirectory).FindLast(e => e.Outcome != Audit.AuditOutcome.Rejected)?.Commit;
        }
        catch (Audit.AuditJournalException)
        {
            return null;
        }
    }

    private void SaveState()
    {
        try
        {
            StateFiles.WriteAtomically(StateFile, stream => JsonSerializer.Serialize(stream, new PersistedState(_options.Url, _path, _lastGood?.Commit.Sha, _lastAttempted, _fastForwardBase), GitSourceJsonContext.Default.PersistedState));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GitSourceException(GitSourceError.Cache, $"cannot write the source state {StateFile}: {e.Message}", e);
        }
    }

    public void Dispose()
    {
        _repository?.Dispose();
        _gate.Dispose();
    }
}
