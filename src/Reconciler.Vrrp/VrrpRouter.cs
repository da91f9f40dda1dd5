using System.Net;
using Reconciler.Vrrp.Receive;
using Reconciler.Vrrp.Wire;

namespace Reconciler.Vrrp;

/// <summary>
/// One VRRP virtual router (one instance on one node): the RFC 3768 / RFC 5798 state machine with keepalived's
/// FAULT and STOP states, tracking weights and preempt delay. Pure: no sockets and no threads of its own; time
/// comes from a <see cref="TimeProvider"/>, the world is an <see cref="IVrrpRouterHost"/>.
/// </summary>
/// <remarks>
/// <para>Driving it: construct, report the initial state of tracked checks and interfaces
/// (<see cref="SetCheckState"/>, <see cref="SetInterfaceState"/>; interfaces are assumed up, checks unknown),
/// <see cref="Start"/>, then feed every received VRRP packet to <see cref="ReceiveAdvert"/> and every tracking
/// change to the setters; <see cref="Stop"/> (or <see cref="Dispose"/>) on shutdown.</para>
/// <para>Thread-safety: every public member may be called from any thread. An internal lock serializes them and the
/// timer expiries, so the state machine runs one step at a time. Host callbacks run under that lock; a host that calls
/// back into the router from inside a callback gets an <see cref="InvalidOperationException"/>. Exceptions thrown by the
/// host are caught and reported to <see cref="IVrrpRouterHost.OnHostError"/>, so a failed ARP or address change
/// never leaves the state machine half-way (nor crashes a timer thread).</para>
/// </remarks>
public sealed partial class VrrpRouter : IDisposable
{
    private readonly Lock _lock;
    private readonly IVrrpRouterHost _host;
    private readonly TimeProvider _time;
    private readonly VrrpAdvert _advertTemplate;
    private readonly byte[] _sendBuffer = new byte[VrrpConstants.VRRP_MAX_MESSAGE_LENGTH];
    private readonly RouterTimer _masterDownTimer;
    private readonly RouterTimer _advertTimer;
    private readonly RouterTimer _garpTimer;

    private VrrpState _state = VrrpState.Initialize;
    private bool _started;
    private readonly RouterStep _step;
    private int _effectivePriority;
    private TimeSpan _masterAdvertInterval;
    private IPAddress? _masterAddress;
    private int _masterPriority;
    private DateTimeOffset? _preemptDeadline;
    private VrrpTransitionReason _nextMasterReason = VrrpTransitionReason.MasterDown;
    private bool _legacyUnicastChecksum;

    public VrrpRouter(VrrpRouterConfig config, IVrrpRouterHost host, TimeProvider timeProvider)
        : this(config, host, timeProvider, null)
    {
    }

    /// <summary>A router that is a member of <paramref name="syncGroup"/> (null: none): it shares the group's lock and
    /// follows its rules (see <see cref="VrrpSyncGroupCoordinator"/>).</summary>
    /// <exception cref="ArgumentException">The instance is not one of the group's members, or has joined it already.</exception>
    public VrrpRouter(VrrpRouterConfig config, IVrrpRouterHost host, TimeProvider timeProvider, VrrpSyncGroupCoordinator? syncGroup)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(timeProvider);
        config.Validate();

        Config = config;
        _host = host;
        _time = timeProvider;
        _advertTemplate = config.CreateAdvert(VrrpConstants.VRRP_PRIORITY_DEFAULT);
        _masterDownTimer = new RouterTimer(timeProvider, OnTimerExpired);
        _advertTimer = new RouterTimer(timeProvider, OnTimerExpired);
        _garpTimer = new RouterTimer(timeProvider, OnTimerExpired);
        _masterAdvertInterval = config.AdvertInterval;
        InitializeTracking();
        _effectivePriority = ComputeEffectivePriority();
        _group = syncGroup;
        _lock = syncGroup?.Lock ?? new Lock();
        _step = syncGroup?.Step ?? new RouterStep();
        syncGroup?.Join(this);
    }

    public VrrpRouterConfig Config { get; }

    public VrrpCounters Counters { get; } = new();

    public VrrpState State
    {
        get
        {
            lock (_lock)
            {
                return _state;
            }
        }
    }

    /// <summary>The priority we advertise: configured plus tracking weights, clamped to 1..254 (255 for an owner, never adjusted).</summary>
    public int EffectivePriority
    {
        get
        {
            lock (_lock)
            {
                return _effectivePriority;
            }
        }
    }

    /// <summary>The current master's address as last learned (our own while MASTER); null when unknown.</summary>
    public IPAddress? MasterAddress
    {
        get
        {
            lock (_lock)
            {
                return _state == VrrpState.Master ? Config.PrimaryAddress : _masterAddress;
            }
        }
    }

    /// <summary>Master_Adver_Interval: for v3 the master's advertised interval as learned in BACKUP; otherwise ours.</summary>
    public TimeSpan MasterAdvertInterval
    {
        get
        {
            lock (_lock)
            {
                return _masterAdvertInterval;
            }
        }
    }

    /// <summary>When the master down timer expires, if it runs (BACKUP).</summary>
    public DateTimeOffset? MasterDownDeadline
    {
        get
        {
            lock (_lock)
            {
                return _masterDownTimer.Deadline;
            }
        }
    }

    /// <summary>Whether we send VRRPv3 unicast checksums the pre-2.0.11 keepalived way (learned from a peer).</summary>
    public bool UsesLegacyUnicastChecksum
    {
        get
        {
            lock (_lock)
            {
                return _legacyUnicastChecksum;
            }
        }
    }

    /// <summary>
    /// Starts the router: FAULT if a weight-0 tracked object (or our interface) is down; otherwise MASTER at once
    /// for the address owner, BACKUP for everyone else. Waits in INITIALIZE while a weight-0 check has no result
    /// yet. Calling it again does nothing.
    /// </summary>
    public void Start()
    {
        lock (_lock)
        {
            using var scope = Enter();
            if (_started || _state == VrrpState.Stopped)
            {
                return;
            }

            _started = true;
            Evaluate();
        }
    }

    /// <summary>
    /// Stops for good. As MASTER: sends priority 0 (so a backup takes over after its skew time only), removes the
    /// virtual addresses. Reports the STOP transition if the router had been started. Idempotent.
    /// </summary>
    public void Stop()
    {
        lock (_lock)
        {
            using var scope = Enter();
            if (_state == VrrpState.Stopped)
            {
                return;
            }

            var from = _state;
            if (from == VrrpState.Master)
            {
                LeaveMaster(sendPriorityZero: true);
            }

            StopTimers();
            _state = VrrpState.Stopped;
            _wantsMaster = false;
            if (_started)
            {
                ReportTransition(from, VrrpState.Stopped, VrrpTransitionReason.Shutdown);
            }

            ReportConditionToGroup();
        }
    }

    /// <summary>
    /// While MASTER, puts the virtual addresses back on the interface and announces them (gratuitous ARP /
    /// unsolicited NA): something outside the router removed one (an <c>ip addr del</c> by hand), and the role says
    /// they are ours. Returns false, doing nothing, in any other state. Adding an address that is there is harmless.
    /// </summary>
    public bool ReassertVirtualAddresses()
    {
        lock (_lock)
        {
            using var scope = Enter();
            if (_state != VrrpState.Master)
            {
                return false;
            }

            AddAndAnnounceVirtualAddresses();
            return true;
        }
    }

    /// <summary>Stops the router (see <see cref="Stop"/>).</summary>
    public void Dispose() => Stop();

    public override string ToString()
    {
        lock (_lock)
        {
            return $"{Config.InstanceName} VRID {Config.VirtualRouterId} {_state} priority {_effectivePriority}";
        }
    }

    private void OnTimerExpired(RouterTimer timer, object generation)
    {
        lock (_lock)
        {
            if (_step.Busy || !timer.TryConsume(generation))
            {
                // Stale: cancelled or restarted meanwhile. (Busy is never set here: due times are never
                // zero, so no time provider runs an expiry synchronously inside a router call.)
                return;
            }

            using var scope = Enter();
            if (ReferenceEquals(timer, _masterDownTimer))
            {
                OnMasterDown();
            }
            else if (ReferenceEquals(timer, _advertTimer))
            {
                OnAdvertTimer();
            }
            else if (ReferenceEquals(timer, _garpTimer))
            {
                OnGarpRepeat();
            }
        }
    }

    private RouterStep.Scope Enter() => _step.Enter();

    private void StopTimers()
    {
        _masterDownTimer.Stop();
        _advertTimer.Stop();
        _garpTimer.Stop();
    }
}
