using Reconciler.Vrrp.Wire;

namespace Reconciler.Vrrp;

public sealed partial class VrrpRouter
{
    private bool _standby;

    // MASTER after its priority-0 advert, silent, still holding the addresses until a peer's advert says it took over.
    private bool _handingOver;

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
    /// last resort rather than none). As MASTER it hands over make-before-break: a priority-0 advert (the best backup
    /// takes over after its skew time only, as on a stop), then silence, the addresses kept and forwarded until the new
    /// master's first advert arrives; only then does it step down and remove them. A stop breaks before it makes
    /// (nobody holds the addresses for the skew time: a new connection's SYN sent then waits for its retransmission).
    /// If no peer takes over within the master down interval, it advertises again, at priority 1. Off standby the
    /// configured priority (with its tracking) returns, and with preemption a better priority takes the instance back.
    /// Idempotent.
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
                _handingOver = true;
                _advertTimer.Stop();
                _garpTimer.Stop();
                SendAdvert(VrrpConstants.VRRP_PRIORITY_STOP);
                Counters.CountPriorityZeroSent();
                _masterDownTimer.Start(MasterDownInterval());
                return;
            }

            if (!standby && _handingOver)
            {
                _effectivePriority = ComputeEffectivePriority();
                StopHandingOver();
            }

            Evaluate();
        }
    }

    /// <summary>No peer took over (or the standby was lifted) while handing over: MASTER again, advertising.</summary>
    private void StopHandingOver()
    {
        _handingOver = false;
        _masterDownTimer.Stop();
        SendAdvert((byte)_effectivePriority);
        _advertTimer.Start(Config.AdvertInterval);
    }

    private const int StandbyPriority = VrrpConstants.VRRP_PRIORITY_STOP + 1;
}
