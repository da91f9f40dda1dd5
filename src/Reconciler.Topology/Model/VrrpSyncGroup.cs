namespace Reconciler.Topology.Model;

/// <summary>
/// VRRP instances that fail over together (keepalived's <c>vrrp_sync_group</c>): the usual NAT pair of an outside VIP
/// and an inside gateway, where one director holding one and its peer the other would cut traffic. On each node the
/// members are MASTER together, BACKUP together or FAULT together:
/// <list type="bullet">
/// <item>a member in FAULT puts every member in FAULT, and they come up again when none is;</item>
/// <item>a member becomes MASTER only when every member wants to (its master down timer expired, or it may preempt);
/// until then it waits as BACKUP, so a group never splits over two nodes;</item>
/// <item>a member that steps down to BACKUP takes the others with it.</item>
/// </list>
/// </summary>
/// <param name="Instances">The member instances (two or more, each in at most one group, all on the same nodes).</param>
/// <param name="TrackChecks">Checks tracked by every member, as if each tracked them itself.</param>
/// <param name="TrackInterfaces">Interfaces tracked by every member.</param>
/// <param name="Notify">Commands (with keepalived's arguments <c>GROUP NAME STATE 0</c>) and webhook run when the
/// group as a whole changes state.</param>
/// <param name="TrackingWeights">Whether members may track with non-zero weights (keepalived's
/// <c>sync_group_tracking_weight</c>). Off, as in keepalived: a member's failed tracked object must put the whole group
/// in FAULT (weight 0), since differing priorities across members make the nodes re-elect forever.</param>
public sealed record VrrpSyncGroup(
    string Name,
    ValueList<string> Instances,
    ValueList<TrackedCheckReference> TrackChecks,
    ValueList<TrackedInterface> TrackInterfaces,
    VrrpNotify? Notify,
    bool TrackingWeights);
