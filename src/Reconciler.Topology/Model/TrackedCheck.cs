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
    int Weight);
