namespace Reconciler.Vrrp;

/// <summary>
/// One node's side of a sync group (keepalived's <c>vrrp_sync_group</c>): the <see cref="VrrpRouter"/>s of instances
/// that must fail over together. Each member runs its own state machine; the coordinator adds keepalived's three rules:
/// <list type="bullet">
/// <item><b>FAULT together.</b> While any member is faulted (its interface, or a weight-0 tracked object, is down), every
/// member is in FAULT; they come up when none is. Likewise they come up from INITIALIZE together: while a member still
/// waits for a check's first result, or has not joined or started yet, the others wait too.</item>
/// <item><b>MASTER together, only when all want it.</b> A member whose master down timer expires (or that may preempt)
/// becomes MASTER only if every other member wants to as well; otherwise it stays BACKUP, wanting, and waits another
/// master down interval. The last member to want it takes them all to MASTER, so the group never splits over two
/// nodes (keepalived: "prefer backup state to avoid thrashing").</item>
/// <item><b>BACKUP together.</b> A MASTER member that steps down for a better advert takes every other MASTER member to
/// BACKUP (no priority 0: the peer group is taking over, not losing a master).</item>
/// </list>
/// </summary>
/// <remarks>
/// The members share the coordinator's lock: a step of one member that moves the others runs as one step of the group,
/// and no timer or packet of another member interleaves. Construct the coordinator with the names of every member this
/// node runs, then each router with it (<see cref="VrrpRouter(VrrpRouterConfig, IVrrpRouterHost, TimeProvider, VrrpSyncGroupCoordinator?)"/>);
/// a member that will never run (its interface is missing) must be <see cref="Abandon"/>ed, or the others wait for it
/// in INITIALIZE. Group transitions go to the <see cref="IVrrpSyncGroupHost"/>, under the lock, after the member
/// transitions that caused them.
/// </remarks>
public sealed class VrrpSyncGroupCoordinator
{
    private readonly IVrrpSyncGroupHost _host;
    private readonly List<string> _memberNames;
    private readonly HashSet<string> _awaited;
    private readonly List<VrrpRouter> _members = [];
    private VrrpState _state = VrrpState.Initialize;

    public VrrpSyncGroupCoordinator(string name, IEnumerable<string> memberNames, IVrrpSyncGroupHost host)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(memberNames);
        Name = name;
        _host = host ?? throw new ArgumentNullException(nameof(host));
        _memberNames = memberNames.Distinct(StringComparer.Ordinal).ToList();
        if (_memberNames.Count == 0)
        {
            throw new ArgumentException($"Sync group '{name}' has no members.", nameof(memberNames));
        }

        _awaited = new HashSet<string>(_memberNames, StringComparer.Ordinal);
    }

    public string Name { get; }

    /// <summary>The instances of the group on this node.</summary>
    public IReadOnlyList<string> MemberNames => _memberNames;

    /// <summary>The group's state as a whole: FAULT while any member is, MASTER / BACKUP / STOP once every member is;
    /// INITIALIZE until the members first agree.</summary>
    public VrrpState State
    {
        get
        {
            lock (Lock)
            {
                return _state;
            }
        }
    }

    internal Lock Lock { get; } = new();

    /// <summary>The members' shared step: one member's step that moves the others is one step of the group.</summary>
    internal RouterStep Step { get; } = new();

    /// <summary>
    /// Gives up on a member that will never run on this node (its router could not be created: the interface is
    /// missing). The others stop waiting for it and run as a group without it. Abandoning a member that has joined, or
    /// an unknown name, does nothing.
    /// </summary>
    public void Abandon(string instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        lock (Lock)
        {
            using var step = Step.Enter();
            if (_awaited.Remove(instance))
            {
                foreach (var member in _members)
                {
                    member.EvaluateForGroup();
                }
            }
        }
    }

    internal void Join(VrrpRouter member)
    {
        lock (Lock)
        {
            if (!_awaited.Remove(member.Config.InstanceName))
            {
                throw new ArgumentException(_memberNames.Contains(member.Config.InstanceName)
                    ? $"Instance '{member.Config.InstanceName}' has already joined sync group '{Name}'."
                    : $"Instance '{member.Config.InstanceName}' is not a member of sync group '{Name}' ({string.Join(", ", _memberNames)}).");
            }

            _members.Add(member);
        }
    }

    /// <summary>Whether another member keeps <paramref name="self"/> in FAULT.</summary>
    internal bool OtherMemberFaulted(VrrpRouter self)
    {
        foreach (var member in _members)
        {
            if (member != self && member.IsRunning && member.IsFaultedOnItsOwn)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="self"/> must wait in INITIALIZE for another member: one that has not joined or
    /// started yet, or still waits for a check's first result.</summary>
    internal bool OtherMemberNotReady(VrrpRouter self)
    {
        if (_awaited.Count > 0)
        {
            return true;
        }

        foreach (var member in _members)
        {
            if (member != self && !member.IsStopped && (!member.IsStarted || member.IsWaitingOnItsOwn))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A member's own readiness or fault changed (or it started or stopped): every other member re-evaluates, so FAULT
    /// and coming up spread over the group.
    /// </summary>
    internal void OnMemberConditionChanged(VrrpRouter changed)
    {
        foreach (var member in _members)
        {
            if (member != changed)
            {
                member.EvaluateForGroup();
            }
        }
    }

    /// <summary>Whether every member other than <paramref name="self"/> is MASTER or wants to be.</summary>
    internal bool OthersWantMaster(VrrpRouter self)
    {
        foreach (var member in _members)
        {
            if (member != self && member.IsRunning && !member.IsMasterOrWantsMaster)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The last member to want MASTER has become MASTER: the others, all wanting it, follow.</summary>
    internal void PromoteOthers(VrrpRouter self)
    {
        foreach (var member in _members)
        {
            if (member != self)
            {
                member.BecomeMasterForGroup();
            }
        }
    }

    /// <summary>A member stepped down to BACKUP: the other MASTER members step down with it.</summary>
    internal void DemoteOthers(VrrpRouter self)
    {
        foreach (var member in _members)
        {
            if (member != self)
            {
                member.StepDownForGroup();
            }
        }
    }

    /// <summary>After any member's transition: recomputes the group's state and reports a change.</summary>
    internal void OnMemberTransition()
    {
        var next = Aggregate();
        if (next == _state)
        {
            return;
        }

        var transition = new VrrpSyncGroupTransition(Name, _state, next);
        _state = next;
        try
        {
            _host.OnTransition(transition);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            try
            {
                _host.OnHostError(nameof(IVrrpSyncGroupHost.OnTransition), e);
            }
            catch (Exception inner) when (inner is not OutOfMemoryException)
            {
                // Nothing sensible is left to do with an error reporter that fails.
            }
        }
    }

    private VrrpState Aggregate()
    {
        if (_members.Count == 0)
        {
            return _state;
        }

        bool allMaster = true, allBackup = true, allStopped = true;
        foreach (var member in _members)
        {
            var state = member.CurrentStateForGroup;
            if (state == VrrpState.Fault)
            {
                return VrrpState.Fault;
            }

            allMaster &= state == VrrpState.Master;
            allBackup &= state == VrrpState.Backup;
            allStopped &= state == VrrpState.Stopped;
        }

        // Every member this node runs must have joined before the group can be MASTER or BACKUP as a whole.
        bool complete = _awaited.Count == 0;
        return allStopped ? VrrpState.Stopped
            : complete && allMaster ? VrrpState.Master
            : complete && allBackup ? VrrpState.Backup
            : _state;
    }
}

/// <summary>What a <see cref="VrrpSyncGroupCoordinator"/> asks of the world: the group's notify hooks. Called under the
/// group's lock; must not block and must not call into the group's routers (queue instead).</summary>
public interface IVrrpSyncGroupHost
{
    /// <summary>The group as a whole changed state.</summary>
    void OnTransition(VrrpSyncGroupTransition transition);

    /// <summary><see cref="OnTransition"/> threw; the coordinator caught it.</summary>
    void OnHostError(string operation, Exception exception);
}
