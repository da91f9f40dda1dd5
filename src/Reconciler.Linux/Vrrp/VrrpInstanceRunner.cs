using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Reconciler.Linux.Route;
using Reconciler.Vrrp;

namespace Reconciler.Linux.Vrrp;

/// <summary>
/// Runs one VRRP instance on this node: resolves the interface (index, MAC, primary address) over rtnetlink, opens
/// the raw sockets, drives a <see cref="VrrpRouter"/> through a <see cref="LinuxVrrpHost"/>, feeds it every packet
/// from a dedicated receive thread (malformed packets are the router's to count, never an exception out of the
/// loop), polls link state for the instance's interface and its tracked ones, and runs its tracked checks.
/// </summary>
public sealed partial class VrrpInstanceRunner : IAsyncDisposable
{
    private static readonly TimeSpan ReceivePollTimeout = TimeSpan.FromMilliseconds(200);

    private readonly VrrpInstanceOptions _options;
    private readonly RtnetlinkClient _rtnetlink;
    private readonly bool _ownsRtnetlink;
    private readonly ILogger _logger;
    private readonly Dictionary<string, bool> _links = new(StringComparer.Ordinal);
    private readonly List<VrrpCheckRunner> _checks = [];
    private readonly List<VrrpFileTracker> _files = [];
    private readonly Lock _lifecycle = new();
    private readonly VrrpSyncGroupCoordinator? _syncGroup;
    private VrrpSocket? _socket;
    private AnnouncementSocket? _announcer;
    private VrrpNotifier? _notifier;
    private LinuxVrrpHost? _host;
    private Thread? _receiver;
    private ITimer? _linkTimer;
    private volatile bool _stopping;
    private long _receiverCameRound = Environment.TickCount64;
    private bool _released;
    private DateTimeOffset? _lastTransition;
    private VrrpTransitionReason? _lastReason;
    private volatile bool _standby;
    private long _receiveErrors;

    /// <param name="syncGroup">The sync group the instance belongs to on this node (null: none). A runner that fails to
    /// start gives its place up (<see cref="VrrpSyncGroupCoordinator.Abandon"/>), so the other members do not wait for it.</param>
    /// <param name="vmacs">Who creates and deletes vmacs on this node (the service's one); null: the runner's own.</param>
    public VrrpInstanceRunner(VrrpRouterConfig config, VrrpInstanceOptions options, RtnetlinkClient? rtnetlink = null, VrrpSyncGroupCoordinator? syncGroup = null,
        VirtualMacLinks? vmacs = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        _options = options ?? throw new ArgumentNullException(nameof(options));
        config.Validate();
        Config = config;
        _ownsRtnetlink = rtnetlink is null;
        _rtnetlink = rtnetlink ?? RtnetlinkClient.Open(options.NetworkNamespacePath);
        _logger = options.LoggerFactory.CreateLogger("Reconciler.Vrrp." + config.InstanceName);
        _syncGroup = syncGroup;
        _vmacs = vmacs ?? new VirtualMacLinks(_rtnetlink, _logger, options.NetworkNamespacePath);
    }

    /// <summary>The configuration as given; <see cref="Router"/>'s may differ in its primary address (resolved on the interface).</summary>
    public VrrpRouterConfig Config { get; }

    /// <summary>The router, once started.</summary>
    public VrrpRouter? Router { get; private set; }

    /// <summary>Raised (off the router's lock, after the notify hooks ran) for every transition.</summary>
    public event Action<VrrpTransition>? Transitioned;

    /// <summary>Raised on the router's thread at the moment of a transition (record only: never call the router).</summary>
    public event Action<VrrpTransition, DateTimeOffset>? TransitionedImmediate;

    /// <summary>Opens everything and starts the router. Throws when the interface does not exist. Does nothing after <see cref="Release"/>.</summary>
    public void Start()
    {
        lock (_lifecycle)
        {
            if (Router is null && !_released)
            {
                try
                {
                    StartLocked();
                }
                catch when (Router is null && _syncGroup is not null)
                {
                    _syncGroup.Abandon(Config.InstanceName);
                    throw;
                }
            }
        }
    }

    /// <summary>
    /// Graceful release, the first thing to do on SIGTERM: as MASTER a priority-0 advert leaves at once (a backup takes
    /// over after its skew time only, not the master down interval), then the VIPs are removed; STOP is queued to the
    /// notify hooks. Synchronous and short (one send per destination, one rtnetlink delete per VIP), so call it straight
    /// from the signal handler rather than after a hop through the thread pool or an <c>await</c>. Waits for nothing
    /// else and closes nothing (<see cref="DisposeAsync"/> does, and calls this first). Idempotent; a runner released
    /// before it started never starts.
    /// </summary>
    public void Release()
    {
        BeginRelease();
        CompleteRelease();
    }

    /// <summary>The first half of <see cref="Release"/>: the router stops (priority 0 sent) but its VIP removal is held back.</summary>
    internal void BeginRelease()
    {
        lock (_lifecycle)
        {
            _released = true;
            _host?.DeferRemovals();
            Router?.Stop();
            _stopping = true;
        }
    }

    /// <summary>The second half of <see cref="Release"/>: the VIPs held back by <see cref="BeginRelease"/> are removed.</summary>
    internal void CompleteRelease()
    {
        lock (_lifecycle)
        {
            _host?.CompleteDeferredRemovals();
        }
    }

    private void StartLocked()
    {
        var link = _rtnetlink.GetLink(Config.Interface)
            ?? throw new InvalidOperationException($"VRRP instance '{Config.InstanceName}': no interface '{Config.Interface}'");
        var config = Config with { PrimaryAddress = ResolvePrimary(link.Index) };
        var family = config.Family;
        var addressLink = StartVmac(config, link);
        (string, int)? sendFrom = config.Vmac is { TransmitBase: true } ? (link.Name, link.Index) : null;
        _socket = VrrpSocket.Open(family, addressLink.Name, addressLink.Index, config.PrimaryAddress, multicast: !config.UsesUnicast, _options.NetworkNamespacePath, sendFrom);
        if (_options.SendAnnouncements && addressLink.HardwareAddress.Length == 6)
        {
            _announcer = AnnouncementSocket.Open(addressLink.Index, addressLink.HardwareAddress, _options.NetworkNamespacePath);
        }

        _notifier = new VrrpNotifier(_options.Notify, _options.NodeName, _options.Scripts, _logger, _options.HttpClient, _options.NotifyTimeout, mail: _options.Mail);
        _notifier.Handled += t => Transitioned?.Invoke(t);
        _host = new LinuxVrrpHost(_socket, _announcer, _rtnetlink, addressLink.Index, _notifier, _logger, _options.TimeProvider, config.AddressLabels)
        {
            VirtualRoutes = config.VirtualRoutes,
            VirtualRules = config.VirtualRules,
        };
        _host.Transitioned += (t, at) =>
        {
            _lastTransition = at;
            _lastReason = t.Reason;
            TransitionedImmediate?.Invoke(t, at);
        };

        var router = new VrrpRouter(config, _host, _options.TimeProvider, _syncGroup);
        router.SetStandby(_standby);
        Router = router;
        PollLinks();
        foreach (var tracked in config.TrackedChecks)
        {
            var definition = _options.Checks.FirstOrDefault(c => c.Name == tracked.Name);
            if (definition is null)
            {
                _logger.LogWarning("VRRP {Instance}: tracked check {Check} has no definition; it stays unknown", config.InstanceName, tracked.Name);
                continue;
            }

            if (definition.File is not null)
            {
                _files.Add(new VrrpFileTracker(definition, (name, value) => Router?.SetFileValue(name, value), _options.Files ?? Files.TrackedFileWatcher.Shared, _logger));
                continue;
            }

            var runner = new VrrpCheckRunner(definition, (name, up) => Router?.SetCheckState(name, up), _options.Scripts, _logger, _options.TimeProvider);
            _checks.Add(runner);
        }

        _receiver = new Thread(ReceiveLoop) { IsBackground = true, Name = "vrrp " + config.InstanceName };
        _receiver.Start();
        router.Start();
        foreach (var check in _checks)
        {
            check.Start();
        }

        foreach (var file in _files)
        {
            file.Start();
        }

        _linkTimer = _options.TimeProvider.CreateTimer(_ => PollLinks(), null, _options.LinkPollInterval, _options.LinkPollInterval);
    }

    /// <summary>See <see cref="VrrpRouter.ReassertVirtualAddresses"/>; false before the router runs.</summary>
    public bool ReassertVirtualAddresses() => Router?.ReassertVirtualAddresses() ?? false;

    /// <summary>A snapshot for /status and /metrics.</summary>
    public VrrpInstanceStatus GetStatus()
    {
        var router = Router;
        var counters = router?.Counters;
        Dictionary<string, bool> links;
        lock (_links)
        {
            links = new Dictionary<string, bool>(_links, StringComparer.Ordinal);
        }

        return new VrrpInstanceStatus(
            Config.InstanceName,
            Config.Interface,
            Config.VirtualRouterId,
            Config.Version,
            router?.State ?? VrrpState.Initialize,
            Config.Priority,
            router?.EffectivePriority ?? Config.Priority,
            router?.MasterAddress,
            _lastTransition,
            _lastReason,
            counters?.AdvertsSent ?? 0,
            counters?.AdvertsReceived ?? 0,
            counters?.PriorityZeroSent ?? 0,
            counters?.PriorityZeroReceived ?? 0,
            counters?.BecameMaster ?? 0,
            counters?.ReleasedMaster ?? 0,
            counters?.Transitions ?? 0,
            counters?.TotalDropped ?? 0,
            counters?.DropsByReason() ?? new Dictionary<VrrpDropReason, long>(),
            (_host?.HostErrors ?? 0) + Interlocked.Read(ref _receiveErrors),
            _notifier?.Failures ?? 0,
            _checks.ToDictionary(c => c.Name, c => c.IsUp, StringComparer.Ordinal),
            links)
        {
            Standby = _standby,
            SyncGroup = _syncGroup?.Name,
            SyncGroupState = _syncGroup?.State,
            WantsMaster = router?.WantsMaster ?? false,
        };
    }

    /// <summary>Standby for a maintenance handover (<see cref="VrrpRouter.SetStandby"/>): applied to the running router,
    /// and to one started later.</summary>
    public void SetStandby(bool standby)
    {
        _standby = standby;
        Router?.SetStandby(standby);
    }

    /// <summary>Graceful stop: as MASTER a priority-0 advert and the VIPs removed; STOP notified; everything closed.</summary>
    public async ValueTask DisposeAsync()
    {
        // Priority 0 first: a backup takes over after its skew time only, whatever the rest of shutdown costs.
        Release();
        _linkTimer?.Dispose();
        foreach (var check in _checks)
        {
            await check.DisposeAsync();
        }

        foreach (var file in _files)
        {
            file.Dispose();
        }

        _receiver?.Join(TimeSpan.FromSeconds(2));
        if (_notifier is not null)
        {
            try
            {
                await _notifier.DisposeAsync();
            }
            catch (TimeoutException)
            {
                _logger.LogWarning("VRRP {Instance}: notify hooks still running at shutdown", Config.InstanceName);
            }
        }

        _socket?.Dispose();
        _announcer?.Dispose();
        StopVmac();
        if (_ownsRtnetlink)
        {
            _rtnetlink.Dispose();
        }
    }

    /// <summary>
    /// The source of our adverts: the configured primary address when the interface has it; for IPv6 multicast the
    /// interface's link-local address (RFC 5798 5.1.2.1, as keepalived does); otherwise the interface's first
    /// primary address of the family.
    /// </summary>
    private IPAddress ResolvePrimary(int interfaceIndex)
    {
        var present = _rtnetlink.GetAddresses(interfaceIndex, Config.Family);
        if (Config.Family == AddressFamily.InterNetworkV6 && !Config.UsesUnicast)
        {
            var linkLocal = present.FirstOrDefault(a => a.Address.Address.IsIPv6LinkLocal);
            if (linkLocal is not null)
            {
                return linkLocal.Address.Address;
            }
        }

        if (present.Any(a => RtnetlinkClient.SameAddress(a.Address.Address, Config.PrimaryAddress)))
        {
            return Config.PrimaryAddress;
        }

        var virtualAddresses = Config.VirtualAddresses.Select(v => v.Address).ToList();
        var fallback = present.FirstOrDefault(a => !a.IsSecondary && !virtualAddresses.Any(v => RtnetlinkClient.SameAddress(v, a.Address.Address)));
        var unspecified = Config.PrimaryAddress.Equals(IPAddress.Any) || Config.PrimaryAddress.Equals(IPAddress.IPv6Any);
        if (fallback is null)
        {
            if (unspecified)
            {
                throw new InvalidOperationException(
                    $"VRRP {Config.InstanceName}: the node names no {(Config.Family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4")} address and {Config.Interface} has none to send adverts from; add one to {Config.Interface} or to the node in the topology");
            }

            _logger.LogWarning("VRRP {Instance}: {Address} is not on {Interface}; sending from it anyway", Config.InstanceName, Config.PrimaryAddress, Config.Interface);
            return Config.PrimaryAddress;
        }

        if (unspecified)
        {
            // keepalived's rule: the interface's primary address.
            _logger.LogInformation("VRRP {Instance}: the node names no address of the family; sending from {Interface}'s primary address {Address}", Config.InstanceName, Config.Interface, fallback.Address.Address);
        }
        else
        {
            _logger.LogWarning("VRRP {Instance}: {Address} is not on {Interface}; sending from {Fallback}", Config.InstanceName, Config.PrimaryAddress, Config.Interface, fallback.Address.Address);
        }

        return fallback.Address.Address;
    }

    private void PollLinks()
    {
        var router = Router;
        if (router is null || _stopping)
        {
            return;
        }

        try
        {
            var links = _rtnetlink.GetLinks().ToDictionary(l => l.Name, StringComparer.Ordinal);
            foreach (var name in Config.TrackedInterfaces.Select(t => t.Name).Prepend(Config.Interface).Distinct(StringComparer.Ordinal))
            {
                bool up = links.TryGetValue(name, out var link) && link.IsUsable;
                if (up && name == Config.Interface && Config.Vmac is { } vmac && _vmacUp)
                {
                    up = VmacUsable(links, vmac);
                }

                bool changed;
                lock (_links)
                {
                    changed = !_links.TryGetValue(name, out var previous) || previous != up;
                    _links[name] = up;
                }

                if (changed)
                {
                    router.SetInterfaceState(name, up);
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Interlocked.Increment(ref _receiveErrors);
            _logger.LogWarning("VRRP {Instance}: reading link state failed: {Error}", Config.InstanceName, e.Message);
        }
    }

    /// <summary>Null while the receive thread runs and has come round (it does every 200 ms, or every advert) within
    /// <paramref name="within"/>; otherwise what is wrong with it.</summary>
    public string? WhyNotResponsive(TimeSpan within)
    {
        if (_receiver is not { } receiver || _stopping)
        {
            return null;
        }

        if (!receiver.IsAlive)
        {
            return $"the VRRP receive loop of {Config.InstanceName} has ended";
        }

        var silent = TimeSpan.FromMilliseconds(Environment.TickCount64 - Volatile.Read(ref _receiverCameRound));
        return silent > within ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"the VRRP receive loop of {Config.InstanceName} is stuck: it has not come round for {silent.TotalSeconds:0} s") : null;
    }

    private void ReceiveLoop()
    {
        var buffer = new byte[VrrpSocket.ReceiveBufferLength];
        var socket = _socket!;
        while (!_stopping)
        {
            Volatile.Write(ref _receiverCameRound, Environment.TickCount64);
            try
            {
                if (!socket.WaitReadable(ReceivePollTimeout))
                {
                    continue;
                }

                int length;
                while (!_stopping && (length = socket.Receive(buffer, out var info)) >= 0)
                {
                    Volatile.Write(ref _receiverCameRound, Environment.TickCount64);
                    var router = Router!;
                    if (info is { } v6)
                    {
                        router.ReceiveAdvert(buffer.AsSpan(0, length), v6);
                    }
                    else
                    {
                        router.ReceiveIPv4Datagram(buffer.AsSpan(0, length));
                    }
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                if (_stopping)
                {
                    return;
                }

                Interlocked.Increment(ref _receiveErrors);
                _logger.LogWarning("VRRP {Instance}: receive failed: {Error}", Config.InstanceName, e.Message);
                Thread.Sleep(100);
            }
        }
    }
}
