using System.Net;
using Microsoft.Extensions.Logging;
using Reconciler.Linux.Route;
using Reconciler.Topology.Model;
using Reconciler.Vrrp;

namespace Reconciler.Linux.Vrrp;

/// <summary>
/// The Linux side of one <see cref="VrrpRouter"/>: adverts through a <see cref="VrrpSocket"/>, virtual addresses
/// through rtnetlink (with the instance's prefix, on its interface), gratuitous ARP / unsolicited NA through an
/// <see cref="AnnouncementSocket"/>, transitions queued to a <see cref="VrrpNotifier"/>. Everything it does under
/// the router's lock is a quick system call; nothing calls back into the router.
/// </summary>
public sealed class LinuxVrrpHost : IVrrpRouterHost
{
    private readonly VrrpSocket _socket;
    private readonly AnnouncementSocket? _announcer;
    private readonly RtnetlinkClient _rtnetlink;
    private readonly int _interfaceIndex;
    private readonly VrrpNotifier _notifier;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _deferLock = new();
    private List<IReadOnlyList<InterfaceAddress>>? _deferredRemovals;
    private long _hostErrors;
    private long _sendErrors;

    public LinuxVrrpHost(VrrpSocket socket, AnnouncementSocket? announcer, RtnetlinkClient rtnetlink, int interfaceIndex,
        VrrpNotifier notifier, ILogger logger, TimeProvider time)
    {
        _socket = socket;
        _announcer = announcer;
        _rtnetlink = rtnetlink;
        _interfaceIndex = interfaceIndex;
        _notifier = notifier;
        _logger = logger;
        _time = time;
    }

    /// <summary>The instance's virtual routes: added after its addresses, removed before them, with reconciler's
    /// protocol number (a removal never touches a route someone else added).</summary>
    public IReadOnlyList<IpRoute> VirtualRoutes { get; init; } = [];

    /// <summary>The instance's virtual rules: added after its routes, removed before them.</summary>
    public IReadOnlyList<IpRule> VirtualRules { get; init; } = [];

    /// <summary>Raised on the router's thread, under its lock: handlers must only record (never call the router).</summary>
    public event Action<VrrpTransition, DateTimeOffset>? Transitioned;

    /// <summary>Failed host operations (address changes, announcements, sends).</summary>
    public long HostErrors => Interlocked.Read(ref _hostErrors);

    /// <summary>Adverts the kernel refused (e.g. the link is down).</summary>
    public long SendErrors => Interlocked.Read(ref _sendErrors);

    public void SendAdvert(ReadOnlySpan<byte> message, IPAddress destination)
    {
        try
        {
            _socket.Send(message, destination);
        }
        catch
        {
            Interlocked.Increment(ref _sendErrors);
            throw;
        }
    }

    public void AddVirtualAddresses(IReadOnlyList<InterfaceAddress> addresses)
    {
        foreach (var address in addresses)
        {
            _rtnetlink.AddAddress(_interfaceIndex, address);
        }

        if (VirtualRoutes.Count == 0 && VirtualRules.Count == 0)
        {
            return;
        }

        // As keepalived's netlink_rtlist: a route or rule the kernel refuses is logged, and the rest still go in.
        var routes = new RtnetlinkNodeRoutes(_rtnetlink);
        foreach (var route in VirtualRoutes)
        {
            Try("add virtual route " + route.Destination, () => routes.Add(route));
        }

        foreach (var rule in VirtualRules)
        {
            Try("add virtual rule", () => routes.Add(rule));
        }
    }

    public void RemoveVirtualAddresses(IReadOnlyList<InterfaceAddress> addresses)
    {
        lock (_deferLock)
        {
            if (_deferredRemovals is not null)
            {
                _deferredRemovals.Add(addresses);
                return;
            }
        }

        if (VirtualRoutes.Count > 0 || VirtualRules.Count > 0)
        {
            var routes = new RtnetlinkNodeRoutes(_rtnetlink);
            foreach (var rule in VirtualRules)
            {
                Try("remove virtual rule", () => routes.Remove(rule));
            }

            foreach (var route in VirtualRoutes)
            {
                Try("remove virtual route " + route.Destination, () => routes.Remove(route));
            }
        }

        foreach (var address in addresses)
        {
            _rtnetlink.DeleteAddress(_interfaceIndex, address);
        }
    }

    private void Try(string operation, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            OnHostError(operation, e);
        }
    }

    /// <summary>
    /// Holds address removals back until <see cref="CompleteDeferredRemovals"/>: a service releasing many instances
    /// lets every master's priority-0 advert leave before any instance spends time on rtnetlink.
    /// </summary>
    public void DeferRemovals()
    {
        lock (_deferLock)
        {
            _deferredRemovals ??= [];
        }
    }

    /// <summary>Removes what was held back since <see cref="DeferRemovals"/> and stops deferring. Failures are counted and logged.</summary>
    public void CompleteDeferredRemovals()
    {
        List<IReadOnlyList<InterfaceAddress>>? deferred;
        lock (_deferLock)
        {
            deferred = _deferredRemovals;
            _deferredRemovals = null;
        }

        foreach (var addresses in deferred ?? [])
        {
            try
            {
                RemoveVirtualAddresses(addresses);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                OnHostError(nameof(RemoveVirtualAddresses), e);
            }
        }
    }

    public void SendGratuitousAnnouncements(IReadOnlyList<InterfaceAddress> addresses, int count)
    {
        if (_announcer is null)
        {
            return;
        }

        foreach (var address in addresses)
        {
            _announcer.Announce(address.Address, count);
        }
    }

    public void OnTransition(VrrpTransition transition)
    {
        var now = _time.GetUtcNow();
        _logger.LogInformation("VRRP {Instance}: {From} -> {To} ({Reason}), priority {Priority}",
            transition.InstanceName, transition.From, transition.To, transition.Reason, transition.EffectivePriority);
        Transitioned?.Invoke(transition, now);
        _notifier.Enqueue(transition, now);
    }

    public void OnHostError(string operation, Exception exception)
    {
        Interlocked.Increment(ref _hostErrors);
        _logger.LogWarning("VRRP host {Operation} failed: {Error}", operation, exception.Message);
    }
}
