namespace Reconciler.Health;

/// <summary>
/// The weight of a recovered server during slow start (pure): linear from 1 at recovery to the target weight
/// after the duration, in whole steps. Integer arithmetic, so a step lands exactly where <see cref="NextStep"/> says.
/// </summary>
public static class SlowStartRamp
{
    public static int WeightAt(int target, TimeSpan duration, TimeSpan elapsed)
    {
        if (target <= 1 || duration <= TimeSpan.Zero || elapsed >= duration)
        {
            return target;
        }

        if (elapsed <= TimeSpan.Zero)
        {
            return 1;
        }

        return 1 + (int)((Int128)(target - 1) * elapsed.Ticks / duration.Ticks);
    }

    /// <summary>The elapsed time at which the weight next goes up (the duration itself for the last step).</summary>
    public static TimeSpan NextStep(int target, TimeSpan duration, TimeSpan elapsed)
    {
        var weight = WeightAt(target, duration, elapsed);
        if (weight >= target)
        {
            return duration;
        }

        // Weight w + 1 from the first elapsed e with (target - 1) * e / duration >= w.
        var steps = (Int128)weight * duration.Ticks;
        var ticks = (steps + (target - 2)) / (target - 1);
        return TimeSpan.FromTicks((long)Int128.Min(ticks, duration.Ticks));
    }
}
