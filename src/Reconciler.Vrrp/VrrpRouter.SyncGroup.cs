namespace Reconciler.Vrrp;

public sealed partial class VrrpRouter
{
    private readonly VrrpSyncGroupCoordinator? _group;

    // In a sync group: our master down timer expired (or we may preempt) but another member does not want MASTER yet.
    private bool _wantsMaster;
    private VrrpTransitionReason _wantedReason = VrrpTransitionReason.MasterDown;

    // What the group last heard of our own condition: (running, faulted on our own, waiting for a check on our own).
    private (bool Running, bool Faulted, bool Waiting) _reportedCondition;

    /// <summary>The sync group this router is a member of on this node, or null.</summary>
    public VrrpSyncGroupCoordinator? SyncGroup => _group;

    /// <summary>Whether, in a sync group, this member wants MASTER and waits for the others to want it too.</summary>
    public bool WantsMaster
    {
        get
        {
            lock (_lock)
            {
                return _wantsMaster;
            }
        }
    }

    internal bool IsStarted => _started;

    internal bool IsStopped => _state == VrrpState.Stopped;

    internal bool IsRunning => _started && _state != VrrpState.Stopped;

    internal bool IsFaultedOnItsOwn => IsFaulted();

    internal bool IsWaitingOnItsOwn => IsWaitingForChecks();

    internal bool IsMasterOrWantsMaster => _state == VrrpState.Master || (_state == VrrpState.Backup && _wantsMaster);

    internal VrrpState CurrentStateForGroup => _state;

    // The *ForGroup methods run inside a step of the group (another member's, or the coordinator's), under its lock.

    /// <summary>Another member's condition changed: FAULT or coming up may follow (see <see cref="Evaluate"/>).</summary>
    internal void EvaluateForGroup() => Evaluate();

    /// <summary>The last member of our group to want MASTER took over: we wanted it too, so we follow.</summary>
    internal void BecomeMasterForGroup()
    {
        if (_state != VrrpState.Backup)
        {
            return;
        }

        BecomeMaster(VrrpState.Backup, _wantedReason);
    }

    /// <summary>A member of our group stepped down to BACKUP: as MASTER we step down too, without priority 0 (a peer
    /// group is taking over) and with no master known yet (its adverts will tell).</summary>
    internal void StepDownForGroup()
    {
        if (_state != VrrpState.Master)
        {
            return;
        }

        LeaveMaster(sendPriorityZero: false);
        BackupWithNoMasterKnown();
        ReportTransition(VrrpState.Master, VrrpState.Backup, VrrpTransitionReason.SyncGroup);
    }

    /// <summary>
    /// BACKUP to MASTER: the master down timer expired, or a priority change put its deadline in the past. Alone we
    /// take over; in a sync group only if every other member wants to as well (then they all do), otherwise we wait
    /// another master down interval as BACKUP, wanting it.
    /// </summary>
    private void TakeOver(VrrpTransitionReason reason)
    {
        if (_group is null)
        {
            BecomeMaster(VrrpState.Backup, reason);
            return;
        }

        _wantsMaster = true;
        _wantedReason = reason;
        if (!_group.OthersWantMaster(this))
        {
            _masterDownTimer.Start(MasterDownInterval());
            return;
        }

        BecomeMaster(VrrpState.Backup, reason);
        _group.PromoteOthers(this);
    }

    /// <summary>Faulted: our own interface or weight-0 tracked object is down, or another member's of our group is.</summary>
    private bool IsFaultedInGroup() => IsFaulted() || (_group?.OtherMemberFaulted(this) ?? false);

    /// <summary>Waiting in INITIALIZE: for our own weight-0 check's first result, or for another member of our group.</summary>
    private bool IsWaitingInGroup() => IsWaitingForChecks() || (_group?.OtherMemberNotReady(this) ?? false);

    /// <summary>Tells the group when our own condition changed, so the other members re-evaluate.</summary>
    private void ReportConditionToGroup()
    {
        if (_group is null)
        {
            return;
        }

        var condition = (IsRunning, IsFaulted(), IsWaitingForChecks());
        if (condition != _reportedCondition)
        {
            _reportedCondition = condition;
            _group.OnMemberConditionChanged(this);
        }
    }
}
