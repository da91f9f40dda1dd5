using System.Runtime.CompilerServices;
using Reconciler.Health.Metrics;
using Reconciler.Health.Probes;

namespace Reconciler.Health.Checking;

/// <summary>
/// The probing half of one check: an async loop (no thread of its own; between attempts it is only a timer
/// from <see cref="TimeProvider"/>) that runs one attempt per interval, each attempt being a probe plus up to
/// <c>retries</c> retries <c>delayBeforeRetry</c> apart, and feeds the attempt's result to its
/// <see cref="RiseFallCounter"/>. Every probe is bounded by its own timeout, and abandoned if it overruns that
/// by the grace period, so a hung probe holds up nothing but its own check. State changes (and dynamic weight
/// changes) go to the <see cref="ICheckSink"/>; nothing else takes a lock.
/// </summary>
internal sealed class CheckRunner
{
    private readonly IHealthProbe _probe;
    private readonly ICheckSink _sink;
    private readonly TimeProvider _time;
    private readonly TimeSpan _grace;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private int? _reportedWeight;
    private long _probes;
    private int _downRequests;
    private int _downRequestsApplied;
    private TaskCompletionSource _woken = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CheckRunner(object owner, HealthCheckTarget target, IHealthProbe probe, RiseFallCounter counter, int? dynamicWeight,
        ICheckSink sink, TimeProvider time, TimeSpan grace)
    {
        Owner = owner;
        Target = target;
        _probe = probe;
        Counter = counter;
        _reportedWeight = dynamicWeight;
        _sink = sink;
        _time = time;
        _grace = grace;
    }

    /// <summary>Whatever the sink keys this check by.</summary>
    public object Owner { get; }

    public HealthCheckTarget Target { get; }

    /// <summary>Owned by the loop; others may read it racily (a carried-over state).</summary>
    public RiseFallCounter Counter { get; }

    public long ProbeCount => Interlocked.Read(ref _probes);

    public bool IsStopped => _stop.IsCancellationRequested;

    /// <summary>Starts the loop; the first attempt is due after <paramref name="firstDelay"/> (at least one tick,
    /// so no probe ever runs on the caller's thread).</summary>
    public void Start(TimeSpan firstDelay)
    {
        if (firstDelay <= TimeSpan.Zero)
        {
            firstDelay = TimeSpan.FromTicks(1);
        }

        _loop = RunAsync(firstDelay, _stop.Token);
    }

    /// <summary>Asks the loop to count the server down before it records its next attempt (the loop owns the counter):
    /// from then on, <c>rise</c> good attempts bring it back, as after a failure. An attempt already in flight does not
    /// count: it began before the request, so its pass says nothing about the server since.</summary>
    public void RequestDown() => Interlocked.Increment(ref _downRequests);

    /// <summary>Runs the next attempt now instead of at its time (a tracked file was written); an attempt in flight
    /// is followed by another at once.</summary>
    public void Wake() => Volatile.Read(ref _woken).TrySetResult();

    /// <summary>Stops the loop; a probe in flight is cancelled and its result dropped. A disposable probe is disposed
    /// once the loop has ended.</summary>
    public Task StopAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            _stop.Cancel();
        }

        return _probe is IDisposable disposable ? _loop.ContinueWith(_ => disposable.Dispose(), TaskScheduler.Default) : _loop;
    }

    private async Task RunAsync(TimeSpan firstDelay, CancellationToken stop)
    {
        try
        {
            var check = Target.Check;
            var due = _time.GetUtcNow() + firstDelay;
            while (true)
            {
                var wait = due - _time.GetUtcNow();
                var woken = Volatile.Read(ref _woken);
                if (wait > TimeSpan.Zero && !woken.Task.IsCompleted)
                {
                    await Task.WhenAny(Task.Delay(wait, _time, stop), woken.Task);
                    stop.ThrowIfCancellationRequested();
                }

                if (woken.Task.IsCompleted)
                {
                    Volatile.Write(ref _woken, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                    due = _time.GetUtcNow();
                }

                var requestsBefore = Volatile.Read(ref _downRequests);
                var result = await AttemptAsync(due, stop);
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                var requests = Volatile.Read(ref _downRequests);
                if (requests != _downRequestsApplied)
                {
                    _downRequestsApplied = requests;
                    Counter.ForceDown();
                }

                if (requests != requestsBefore)
                {
                    // Taken down while this attempt ran: its result predates that, and the next attempt decides.
                    due = CheckSchedule.Next(due, _time.GetUtcNow(), check.Interval);
                    continue;
                }

                var changed = Counter.Record(result.Healthy);
                var weightChanged = result.Healthy && result.DynamicWeight != _reportedWeight;
                if (weightChanged)
                {
                    _reportedWeight = result.DynamicWeight;
                }

                if (changed || weightChanged)
                {
                    _sink.OnDecided(this, new CheckDecision(Counter.IsUp, changed, result, Counter.Successes, Counter.Failures));
                }

                due = CheckSchedule.Next(due, _time.GetUtcNow(), check.Interval);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            _sink.OnFailed(this, e);
        }
    }

    /// <summary>One attempt: the probe, then up to <c>retries</c> retries; the last result stands.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ProbeResult> AttemptAsync(DateTimeOffset due, CancellationToken stop)
    {
        var check = Target.Check;
        for (var attempt = 0; ; attempt++)
        {
            var result = await ProbeOnceAsync(due, attempt, stop);
            if (result.Healthy || attempt >= check.Retries || stop.IsCancellationRequested)
            {
                return result;
            }

            due = _time.GetUtcNow() + check.DelayBeforeRetry;
            await Task.Delay(check.DelayBeforeRetry, _time, stop);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ProbeResult> ProbeOnceAsync(DateTimeOffset due, int attempt, CancellationToken stop)
    {
        var lag = _time.GetUtcNow() - due;
        var started = _time.GetTimestamp();
        Interlocked.Increment(ref _probes);
        ProbeResult result;
        try
        {
            var pending = _probe.ProbeAsync(stop);
            result = pending.IsCompleted || _probe is ISelfTimedProbe
                ? await pending
                : await pending.AsTask().WaitAsync(_probe.Timeout + _grace, _time, stop);
        }
        catch (TimeoutException)
        {
            result = ProbeResult.Fail($"{Describe()} did not finish within {ProbeText.Duration(_probe.Timeout + _grace)}, abandoned");
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            result = ProbeResult.Fail($"{Describe()} failed: {ProbeText.FirstLine(e.Message)}");
        }

        if (!stop.IsCancellationRequested)
        {
            _sink.OnProbed(this, new ProbeTiming(Target.Check.Kind, attempt, lag, _time.GetElapsedTime(started), result.Healthy), result);
        }

        return result;
    }

    private string Describe() => $"{Target.Check.Kind.ToString().ToLowerInvariant()} check of {Target.Endpoint}";
}

/// <summary>What a check tells its owner.</summary>
internal interface ICheckSink
{
    /// <summary>After every probe (hot path: no locks).</summary>
    void OnProbed(CheckRunner runner, in ProbeTiming timing, in ProbeResult result);

    /// <summary>After an attempt that changed the state or the dynamic weight.</summary>
    void OnDecided(CheckRunner runner, CheckDecision decision);

    /// <summary>The loop died of a bug.</summary>
    void OnFailed(CheckRunner runner, Exception exception);
}

/// <summary>An attempt that changed something: the state now, whether it flipped, and the result behind it.</summary>
internal readonly record struct CheckDecision(bool Up, bool StateChanged, ProbeResult Result, int Successes, int Failures);
