namespace Reconciler.Agent.Hosting;

/// <summary>
/// A token bucket for <c>POST /reconcile</c>. The trigger already coalesces (one poll pending at most, reconciles at
/// most every <c>minReconcileInterval</c>), but each accepted request still costs a poll of the git server (an
/// <c>ls-remote</c>) and a reconcile (a fresh read of the kernel). A webhook sends one request per push, so a burst of
/// <see cref="Burst"/> covers the hooks of one merge; after it, one request per <see cref="Refill"/> (12 a minute,
/// three times the default poll rate) is the most a client holding the token can cause, however fast it sends.
/// Beyond that the answer is 429 with <c>Retry-After</c>; nothing is queued.
/// </summary>
public sealed class ReconcileRequestLimit(TimeProvider time)
{
    public const int Burst = 5;

    public static readonly TimeSpan Refill = TimeSpan.FromSeconds(5);

    private readonly Lock _lock = new();
    private readonly long _start = time.GetTimestamp();
    private double _tokens = Burst;
    private TimeSpan _last;

    /// <summary>Takes one token: null when the request may go ahead, else how long until the next token.</summary>
    public TimeSpan? TryTake()
    {
        lock (_lock)
        {
            var now = time.GetElapsedTime(_start);
            _tokens = Math.Min(Burst, _tokens + ((now - _last) / Refill));
            _last = now;
            if (_tokens >= 1)
            {
                _tokens -= 1;
                return null;
            }

            return (1 - _tokens) * Refill;
        }
    }
}
