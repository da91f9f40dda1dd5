namespace Reconciler.Vrrp;

/// <summary>
/// A one-shot timer over <see cref="TimeProvider"/> that ignores stale expiries: each <see cref="Start"/>
/// makes a new generation, and an expiry from an older generation (already cancelled or restarted, but
/// racing on the thread pool) is dropped. The owner serializes all calls with its lock and checks
/// <see cref="TryConsume"/> under that lock.
/// </summary>
internal sealed class RouterTimer : IDisposable
{
    private readonly TimeProvider _time;
    private readonly Action<RouterTimer, object> _expired;
    private ITimer? _timer;
    private object? _generation;

    public RouterTimer(TimeProvider time, Action<RouterTimer, object> expired)
    {
        _time = time;
        _expired = expired;
    }

    /// <summary>When it will expire; null when not running.</summary>
    public DateTimeOffset? Deadline { get; private set; }

    public bool IsRunning => _generation is not null;

    public void Start(TimeSpan dueTime)
    {
        Stop();
        var generation = new object();
        _generation = generation;
        Deadline = _time.GetUtcNow() + dueTime;

        // Never zero: a zero due time may run the callback synchronously inside CreateTimer.
        var due = dueTime > TimeSpan.Zero ? dueTime : TimeSpan.FromTicks(1);
        _timer = _time.CreateTimer(
            static state =>
            {
                var (timer, generation) = ((RouterTimer, object))state!;
                timer._expired(timer, generation);
            },
            (this, generation),
            due,
            Timeout.InfiniteTimeSpan);
    }

    /// <summary>Whether <paramref name="generation"/> is the running one; if so the timer is now spent.</summary>
    public bool TryConsume(object generation)
    {
        if (!ReferenceEquals(generation, _generation))
        {
            return false;
        }

        Stop();
        return true;
    }

    public void Stop()
    {
        _timer?.Dispose();
        _timer = null;
        _generation = null;
        Deadline = null;
    }

    public void Dispose() => Stop();
}
