using Reconciler.Vrrp.Wire;

namespace Reconciler.Vrrp;

/// <summary>
/// The RFC timer formulas, computed in whole microseconds with integer truncation exactly as keepalived does
/// (its <c>TIMER_HZ</c> is 1,000,000; <c>VRRP_TIMER_SKEW</c>), so our timing matches keepalived's to the microsecond.
/// </summary>
public static class VrrpTimers
{
    private const long MicrosecondsPerSecond = 1_000_000;

    /// <summary>
    /// Skew_Time. v2 (RFC 3768 6.1): (256 - Priority) / 256 seconds. v3 (RFC 5798 6.1):
    /// ((256 - Priority) x Master_Adver_Interval) / 256, the interval being the master's as learned from its adverts.
    /// </summary>
    public static TimeSpan SkewTime(int version, int priority, TimeSpan masterAdvertInterval)
    {
        var weight = 256L - priority;
        long microseconds;
        if (version == VrrpConstants.VRRP_VERSION_3)
        {
            // keepalived: (256 - prio) * (interval in centiseconds) * 625 / 16 µs; 625/16 = 10,000 µs / 256.
            var centiseconds = masterAdvertInterval.Ticks / (TimeSpan.TicksPerMillisecond * 10);
            microseconds = weight * centiseconds * 625 / 16;
        }
        else
        {
            microseconds = weight * MicrosecondsPerSecond / 256;
        }

        return TimeSpan.FromTicks(microseconds * TimeSpan.TicksPerMicrosecond);
    }

    /// <summary>Master_Down_Interval = 3 x Master_Adver_Interval + Skew_Time.</summary>
    public static TimeSpan MasterDownInterval(int version, int priority, TimeSpan masterAdvertInterval) =>
        (3 * masterAdvertInterval) + SkewTime(version, priority, masterAdvertInterval);
}
