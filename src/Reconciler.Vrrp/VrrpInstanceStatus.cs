using System.Net;

namespace Reconciler.Vrrp;

/// <summary>One instance as the agent's /status and /metrics show it (a snapshot).</summary>
public sealed record VrrpInstanceStatus(
    string Instance,
    string Interface,
    byte VirtualRouterId,
    int Version,
    VrrpState State,
    int ConfiguredPriority,
    int EffectivePriority,
    IPAddress? MasterAddress,
    DateTimeOffset? LastTransition,
    VrrpTransitionReason? LastReason,
    long AdvertsSent,
    long AdvertsReceived,
    long PriorityZeroSent,
    long PriorityZeroReceived,
    long BecameMaster,
    long ReleasedMaster,
    long Transitions,
    long Dropped,
    IReadOnlyDictionary<VrrpDropReason, long> DropsByReason,
    long HostErrors,
    long NotifyFailures,
    IReadOnlyDictionary<string, bool?> Checks,
    IReadOnlyDictionary<string, bool> Interfaces)
{
    /// <summary>On standby after a maintenance handover (priority 1 until resumed).</summary>
    public bool Standby { get; init; }

    /// <summary>The sync group the instance belongs to on this node, or null.</summary>
    public string? SyncGroup { get; init; }

    /// <summary>The sync group's state as a whole (FAULT while any member is; MASTER or BACKUP once every member is).</summary>
    public VrrpState? SyncGroupState { get; init; }

    /// <summary>In a sync group: this member wants MASTER and waits as BACKUP for every other member to want it.</summary>
    public bool WantsMaster { get; init; }
}
