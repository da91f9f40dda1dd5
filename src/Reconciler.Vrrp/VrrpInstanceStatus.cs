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
}
