namespace Reconciler.Topology.Model;

/// <summary>
/// A check a VRRP instance can track (keepalived's <c>vrrp_script</c>): a command run every
/// <paramref name="Interval"/>; <paramref name="Rise"/> consecutive successes make it up,
/// <paramref name="Fall"/> consecutive failures make it down. As in keepalived, a positive <paramref name="Weight"/>
/// is added to the priority of each instance tracking it while the check succeeds, a negative one while it
/// fails; weight 0 puts the instance into FAULT while the check fails.
/// </summary>
public sealed record TrackedCheck(
    string Name,
    ValueList<string> Command,
    TimeSpan Interval,
    TimeSpan Timeout,
    int Rise,
    int Fall,
    int Weight)
{
    /// <summary>keepalived's <c>track_file</c>: set, the check reads a number from a file instead of running a command
    /// (<see cref="Command"/> is empty; the interval, timeout, rise and fall do not apply). The value times the weight
    /// (negated when <see cref="TrackedFile.Reverse"/>) is added to the priority; a result below -253 means FAULT.
    /// With weight 0 a non-zero value means FAULT (with reverse: a zero value). See <see cref="TrackedFileValue"/>.</summary>
    public TrackedFile? File { get; init; }
}

/// <summary>The file a <c>track_file</c> reads: an absolute <paramref name="Path"/>, whether its weight is reversed,
/// and what to write into it when the agent starts (keepalived's <c>init_file</c>).</summary>
public sealed record TrackedFile(string Path, bool Reverse, TrackedFileInit? Init);

/// <summary>keepalived's <c>init_file [VALUE] [overwrite]</c>: <paramref name="Value"/> is written into the file when it does
/// not exist (at start and on a reload, as keepalived), and with <paramref name="Overwrite"/> over an existing regular file
/// too, but only at start (never on a reload).</summary>
public sealed record TrackedFileInit(int Value, bool Overwrite);
