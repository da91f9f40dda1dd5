namespace Reconciler.Health.Checking;

/// <summary>
/// When attempts run (pure). Attempts are due at a fixed rate, one <c>interval</c> apart measured start to start
/// from a random first delay up to <c>warmup</c>; keepalived measures its <c>delay_loop</c> from the end of an
/// attempt, which lets slow checks drift and bunch up. An attempt that overruns its slot (timeouts plus retries
/// longer than the interval) skips the slots it missed rather than firing them back to back.
/// </summary>
public static class CheckSchedule
{
    /// <summary>The shortest interval honoured, whatever the topology says.</summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>A random delay in [0, <paramref name="warmup"/>), never exactly zero (see <see cref="CheckRunner"/>).</summary>
    public static TimeSpan FirstDelay(TimeSpan warmup, Random random) =>
        warmup > TimeSpan.Zero
            ? TimeSpan.FromTicks(Math.Max(1, (long)(warmup.Ticks * random.NextDouble())))
            : TimeSpan.FromTicks(1);

    /// <summary>The next due time after an attempt due at <paramref name="due"/> finished at <paramref name="now"/>.</summary>
    public static DateTimeOffset Next(DateTimeOffset due, DateTimeOffset now, TimeSpan interval)
    {
        interval = interval < MinimumInterval ? MinimumInterval : interval;
        var next = due + interval;
        if (next > now)
        {
            return next;
        }

        var missed = (now - next).Ticks / interval.Ticks + 1;
        return next + TimeSpan.FromTicks(missed * interval.Ticks);
    }
}
