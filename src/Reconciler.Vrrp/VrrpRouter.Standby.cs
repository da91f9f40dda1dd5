using Reconciler.Vrrp.Wire;

namespace Reconciler.Vrrp;

public sealed partial class VrrpRouter
{
    private bool _standby;

    /// <summary>Whether the router is on standby (<see cref="SetStandby"/>).</summary>
    public bool IsStandby
    {
        get
        {
            lock (_lock)
            {
                return _standby;
            }
        }
    }

    /// <summary>
    /// A maintenance handover. On standby the router takes part with priority 1, the lowest a router can have: it
    /// preempts no one and every peer preempts it, but it still takes over when no peer advertises at all (a BACKUP of
    /// last resort rather than none). As MASTER it lets go at once with a priority-0 advert, so the best backup takes
    /// over after its skew time only, as on a stop. Off standby the configured priority (with its tracking) returns,
    /// and with preemption a better priority takes the instance back. Idempotent.
    /// </summary>
    public void SetStandby(bool standby)
    {
        lock (_lock)
        {
            using var scope = Enter();
            if (_standby == standby)
            {
                return;
            }

            _standby = standby;
            if (standby && _state == VrrpState.Master)
            {
                _effectivePriority = ComputeEffectivePriority();
                LeaveMaster(sendPriorityZero: true);
                _state = VrrpState.Backup;
                _masterAddress = null;
                _masterAdvertInterval = Config.AdvertInterval;
                _nextMasterReason = VrrpTransitionReason.MasterDown;
                _masterDownTimer.Start(MasterDownInterval());
                ReportTransition(VrrpState.Master, VrrpState.Backup, VrrpTransitionReason.Handover);
                return;
            }

            Evaluate();
        }
    }

    private const int StandbyPriority = VrrpConstants.VRRP_PRIORITY_STOP + 1;
}
