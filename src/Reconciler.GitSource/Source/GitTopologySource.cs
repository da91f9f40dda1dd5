using System.Text.Json;
using LibGit2Sharp;
using Reconciler.GitSource.Signing;
using Reconciler.Topology.Diagnostics;

namespace Reconciler.GitSource.Source;

/// <summary>
/// The agent's view of the topology repository. Each <see cref="PollAsync"/> asks the server where the followed
/// ref points (<c>ls-remote</c>), fetches only when it moved, reads the topology from git objects at that commit,
/// verifies the signature (when required), validates it and checks the safety limit. A commit that fails any of
/// these, or a server that cannot be reached, never replaces the last good topology. The last good revision is
/// recorded in the state folder and restored (re-read from the cache, re-verified) after a restart.
/// </summary>
public sealed class GitTopologySource : IDisposable
{
    private const string StateFileName = "git-source.json";
    private readonly GitSourceOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _path;
    private GitMirror? _mirror;
    private bool _restored;
    private GoodRevision? _lastGood;
    private string? _lastAttempted;
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

    /// <summary>Commits that touched the topology path on the followed ref, newest first, from the cache (no network).</summary>
    public IReadOnlyList<CommitInfo> History(int maxCount = 1000)
    {
        _gate.Wait();
        try
        {
            var mirror = Mirror();
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
        var mirror = Mirror();
        Restore(mirror);
        Commit commit;
        var started = _time.GetTimestamp();
        try
        {
            commit = mirror.ResolveRemote(out _);
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
        if (commit.Sha == _lastAttempted)
        {
            return new PollResult.Unchanged(Status);
        }

        var resolved = _time.GetTimestamp();
        var info = CommitInfo.Of(commit);
        _lastAttempted = commit.Sha;
        var (kind, diagnostics, topology) = Evaluate(mirror, commit, checkSafety: true);
        var timings = new PollTimings(_time.GetElapsedTime(started, resolved), _time.GetElapsedTime(resolved));
        if (kind is { } rejection)
        {
            _condition = SourceCondition.Stalled;
            _message = $"commit {info.ShortSha} rejected ({rejection}): {diagnostics.FirstOrDefault(d => d.IsError)}";
            SaveState();
            return new PollResult.Rejected(info, rejection, diagnostics, Status) { Timings = timings };
        }

        var changed = _lastGood is null || !_lastGood.Topology.Equals(topology);
        _lastGood = new GoodRevision(info, topology!);
        _condition = SourceCondition.Ready;
        _message = $"commit {info.ShortSha} accepted";
        SaveState();
        return new PollResult.NewValid(info, topology!, diagnostics, Status) { TopologyChanged = changed, Timings = timings };
    }

    /// <summary>Load, verify, validate, limit: every finding, and the topology when there is no error.</summary>
    private (RejectionKind? Kind, IReadOnlyList<Diagnostic> Diagnostics, TopologyModel? Topology) Evaluate(GitMirror mirror, Commit commit, bool checkSafety)
    {
        if (_options.Signatures.Required)
        {
            var verdict = new SignatureVerifier(_options.Signatures).Verify(mirror.Repository, commit.Id);
            if (!verdict.Verified)
            {
                return (RejectionKind.Signature, [Diagnostic.Error("signature", $"commit {commit.Sha}: {verdict.Detail}", null)], null);
            }
        }

        var result = GitTopologyReader.Load(commit, _path, _options.Loader);
        if (!result.IsValid)
        {
            return (RejectionKind.Invalid, result.Diagnostics, null);
        }

        if (checkSafety && _options.Safety.Check(_lastGood?.Topology, result.Topology!, commit.Sha) is { } refusal)
        {
            return (RejectionKind.SafetyLimit, [Diagnostic.Error("safety-limit", refusal, null), .. result.Diagnostics], null);
        }

        return (null, result.Diagnostics, result.Topology);
    }

    private GitMirror Mirror() => _mirror ??= GitMirror.Open(_options);

    private sealed record PersistedState(string Url, string Path, string? LastAppliedRevision, string? LastAttemptedRevision);

    private string StateFile => System.IO.Path.Combine(_options.StateDirectory, StateFileName);

    /// <summary>After a restart: the last good commit is re-read from the cache and re-verified (not re-limited).</summary>
    private void Restore(GitMirror mirror)
    {
        if (_restored)
        {
            return;
        }

        _restored = true;
        PersistedState? state;
        try
        {
            state = File.Exists(StateFile) ? JsonSerializer.Deserialize<PersistedState>(File.ReadAllText(StateFile)) : null;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return;
        }

        if (state is null || state.Url != _options.Url || state.Path != _path || state.LastAppliedRevision is null
            || mirror.Repository.Lookup<Commit>(state.LastAppliedRevision) is not { } commit)
        {
            return;
        }

        var (kind, _, topology) = Evaluate(mirror, commit, checkSafety: false);
        if (kind is null)
        {
            _lastGood = new GoodRevision(CommitInfo.Of(commit), topology!);
            _lastAttempted = commit.Sha;
            _condition = SourceCondition.Ready;
        }
    }

    private void SaveState()
    {
        var temp = StateFile + ".tmp";
        try
        {
            File.WriteAllText(temp, JsonSerializer.Serialize(new PersistedState(_options.Url, _path, _lastGood?.Commit.Sha, _lastAttempted)));
            File.Move(temp, StateFile, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GitSourceException(GitSourceError.Cache, $"cannot write the source state {StateFile}: {e.Message}", e);
        }
    }

    public void Dispose()
    {
        _mirror?.Dispose();
        _gate.Dispose();
    }
}
