namespace Reconciler.Agent.Triggers;

/// <summary>
/// Coalesces reconcile requests from every source (a new commit, a health change, a VRRP transition, the drift
/// timer, SIGHUP, POST /reconcile) into one reconcile at a time, at most one start per
/// <see cref="MinInterval"/>: a burst of requests while a reconcile runs, or within the interval after one
/// started, becomes exactly one more reconcile carrying every reason (kube-proxy's BoundedFrequencyRunner).
/// </summary>
public sealed class ReconcileTrigger(TimeProvider time, TimeSpan minInterval)
{
    private readonly Lock _lock = new();
    private readonly List<string> _reasons = [];
    private TaskCompletionSource _signal = NewSignal();
    private DateTimeOffset? _lastStart;
    private long _requests;
    private long _batches;

    public TimeSpan MinInterval { get; } = minInterval;

    /// <summary>Requests received since start.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Reconciles they were coalesced into.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Asks for a reconcile. Cheap, thread-safe, never blocks; the same reason twice in a batch counts once.</summary>
    public void Request(string reason)
    {
        Interlocked.Increment(ref _requests);
        TaskCompletionSource signal;
        lock (_lock)
        {
            if (!_reasons.Contains(reason))
            {
                _reasons.Add(reason);
            }

            signal = _signal;
        }

        signal.TrySetResult();
    }

    /// <summary>
    /// Waits until at least one request is pending and <see cref="MinInterval"/> has passed since the previous batch
    /// was taken, then takes every pending reason (those that arrive during the wait included).
    /// </summary>
    public async Task<IReadOnlyList<string>> WaitAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task pending;
            lock (_lock)
            {
                pending = _signal.Task;
            }

            await pending.WaitAsync(cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            var wait = _lastStart is { } last ? last + MinInterval - now : TimeSpan.Zero;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }

            lock (_lock)
            {
                if (_reasons.Count == 0)
                {
                    _signal = NewSignal();
                    continue;
                }

                var reasons = _reasons.ToList();
                _reasons.Clear();
                _signal = NewSignal();
                _lastStart = time.GetUtcNow();
                Interlocked.Increment(ref _batches);
                return reasons;
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
