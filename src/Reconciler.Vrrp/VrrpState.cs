namespace Reconciler.Vrrp;

/// <summary>Router states: RFC 5798's three plus keepalived's FAULT and STOP.</summary>
public enum VrrpState
{
    /// <summary>Constructed, not started; or started and waiting for the first result of a weight-0 check (keepalived waits the same way).</summary>
    Initialize,

    /// <summary>Watching the master; takes over when the master down timer expires.</summary>
    Backup,

    /// <summary>Owns the virtual addresses and advertises.</summary>
    Master,

    /// <summary>A weight-0 tracked check or interface (or our own interface) is down; not participating.</summary>
    Fault,

    /// <summary>Stopped for good (terminal).</summary>
    Stopped,
}

/// <summary>Why a transition happened.</summary>
public enum VrrpTransitionReason
{
    /// <summary>Started (or recovered) with priority 255: the address owner goes MASTER at once.</summary>
    AddressOwner,

    /// <summary>Started (or recovered from FAULT) as a non-owner: BACKUP first.</summary>
    Startup,

    /// <summary>The master down timer expired: no advert from a master for 3 x interval + skew.</summary>
    MasterDown,

    /// <summary>The master down timer expired after the master sent priority 0 (it stopped): skew only.</summary>
    MasterReleased,

    /// <summary>The master down timer expired while we were discarding a lower-priority master's adverts (preemption).</summary>
    Preempted,

    /// <summary>MASTER received an advert with a higher priority.</summary>
    HigherPriorityAdvert,

    /// <summary>MASTER received an advert with equal priority from a higher primary address.</summary>
    EqualPriorityHigherAddress,

    /// <summary>A weight-0 tracked check or interface, or our own interface, went down.</summary>
    Fault,

    /// <summary>The last fault cleared.</summary>
    FaultCleared,

    /// <summary>The router was stopped.</summary>
    Shutdown,

    /// <summary>MASTER let go for a maintenance handover (<c>reconciler handover</c>): priority 0 sent, standby since.</summary>
    Handover,

    /// <summary>Another member of the instance's sync group went to FAULT, or stepped down to BACKUP, and took this one
    /// along (keepalived's <c>vrrp_sync_group</c>).</summary>
    SyncGroup,
}

/// <summary>A state change, as reported to the host.</summary>
/// <param name="InstanceName">The VRRP instance.</param>
/// <param name="EffectivePriority">Our effective priority at the moment of the change.</param>
/// <param name="FormerMaster">On BACKUP to MASTER: the master whose adverts this node heard last (null when it heard
/// none). With <see cref="VrrpTransitionReason.MasterDown"/> that master stopped advertising without a priority-0
/// goodbye: dead, cut off, or partitioned away.</param>
public readonly record struct VrrpTransition(string InstanceName, VrrpState From, VrrpState To, VrrpTransitionReason Reason, int EffectivePriority, System.Net.IPAddress? FormerMaster = null)
{
    /// <summary>This node took over because <see cref="FormerMaster"/>'s adverts stopped (not on its priority-0 release,
    /// not by preempting a live one).</summary>
    public bool TookOverFromSilentMaster => To == VrrpState.Master && Reason == VrrpTransitionReason.MasterDown && FormerMaster is not null;

    /// <summary>keepalived-compatible notify script arguments for this transition (empty for INIT).</summary>
    public IReadOnlyList<string> NotifyArguments => VrrpNotifyArguments.ForInstance(InstanceName, To, EffectivePriority);
}

/// <summary>A sync group's change of state as a whole (<see cref="VrrpSyncGroupCoordinator"/>): FAULT as soon as one
/// member is, MASTER or BACKUP once every member is, STOP once every member has stopped.</summary>
public readonly record struct VrrpSyncGroupTransition(string GroupName, VrrpState From, VrrpState To)
{
    /// <summary>keepalived-compatible notify script arguments: <c>GROUP NAME STATE 0</c> (empty for INIT).</summary>
    public IReadOnlyList<string> NotifyArguments => VrrpNotifyArguments.ForGroup(GroupName, To);
}
