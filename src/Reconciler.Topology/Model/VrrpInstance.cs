using System.Net;

namespace Reconciler.Topology.Model;

/// <summary>A VRRP virtual router: which nodes share which virtual addresses, with what priority.</summary>
/// <param name="Interface">Interface the adverts go out on (per-node overrides in <paramref name="InterfaceOverrides"/>).</param>
/// <param name="Version">2 (RFC 3768, IPv4 only) or 3 (RFC 5798).</param>
/// <param name="AdvertInterval">Whole seconds for v2; 10 ms steps for v3.</param>
/// <param name="Priorities">Node name to priority 1..255 (255 = address owner). Nodes absent here do not take part.</param>
/// <param name="UnicastPeers">When not empty, adverts go unicast to these addresses (a node skips its own) instead of multicast.</param>
public sealed record VrrpInstance(
    string Name,
    string Interface,
    ValueMap<string> InterfaceOverrides,
    int VirtualRouterId,
    int Version,
    TimeSpan AdvertInterval,
    ValueMap<int> Priorities,
    bool Preempt,
    TimeSpan PreemptDelay,
    VrrpAuthentication? Authentication,
    ValueList<InterfaceAddress> VirtualAddresses,
    ValueList<IPAddress> UnicastPeers,
    ValueList<TrackedCheckReference> TrackChecks,
    ValueList<TrackedInterface> TrackInterfaces,
    VrrpNotify? Notify,
    GratuitousArp Garp)
{
    public string InterfaceFor(string node) => InterfaceOverrides.TryGetValue(node, out var name) ? name : Interface;

    /// <summary>keepalived's <c>use_vmac</c>: the instance runs on a macvlan with the VRRP virtual MAC that the agent
    /// creates on each of its nodes; null: off (the instance runs on its interface).</summary>
    public VirtualMac? Vmac { get; init; }

    /// <summary>keepalived's <c>label</c> on a virtual address (IPv4 only, the kernel's IFA_LABEL, e.g. <c>eth0:1</c>):
    /// the address (as <see cref="System.Net.IPAddress.ToString"/> writes it) to its label. Addresses absent here take
    /// the interface's name, as the kernel does.</summary>
    public ValueMap<string> VirtualAddressLabels { get; init; } = ValueMap<string>.Empty;

    /// <summary>The interface the virtual addresses go on for <paramref name="node"/>: the vmac when there is one.</summary>
    public string AddressInterfaceFor(string node) => Vmac?.Name ?? InterfaceFor(node);

    /// <summary>IPVS connection synchronisation between the instance's nodes (keepalived's <c>lvs_sync_daemon</c>),
    /// or null: none.</summary>
    public ConnectionSync? ConnectionSync { get; init; }

    /// <summary>Routes present on a node while it is MASTER of the instance (keepalived's <c>virtual_routes</c>): added
    /// after the virtual addresses, removed before them.</summary>
    public ValueList<IpRoute> VirtualRoutes { get; init; } = [];

    /// <summary>Policy rules present on a node while it is MASTER of the instance (keepalived's <c>virtual_rules</c>).</summary>
    public ValueList<IpRule> VirtualRules { get; init; } = [];
}

/// <summary>
/// The kernel's IPVS connection synchronisation, run on every node of the instance (keepalived's
/// <c>lvs_sync_daemon</c>): each node runs both the master daemon (multicasting the connections it forwards) and the
/// backup daemon (receiving the peer's), whatever its VRRP role, so the node that takes over already holds the
/// connections it must keep forwarding, and no start or stop of a daemon falls in the moment of a takeover.
/// Null fields take the kernel's defaults, except <see cref="SyncId"/> (the instance's virtual router id) and
/// <see cref="Interface"/> (the instance's interface on the node), as keepalived does.
/// </summary>
/// <param name="Interface">Interface the sync messages go out on and are received from.</param>
/// <param name="SyncId">0..255; a backup ignores messages with another id (0 accepts all).</param>
/// <param name="MaxLength">Largest sync message payload (kernel default: from the interface's MTU).</param>
/// <param name="Port">UDP port (kernel default 8848).</param>
/// <param name="Ttl">Multicast TTL (kernel default 1).</param>
/// <param name="Group">Multicast group (kernel default 224.0.0.81; IPv6 groups need an IPv6 interface).</param>
public sealed record ConnectionSync(string? Interface, int? SyncId, int? MaxLength, int? Port, int? Ttl, IPAddress? Group)
{
    public static ConnectionSync Default { get; } = new(null, null, null, null, null, null);
}

/// <summary>VRRPv2 simple-text authentication (RFC 2338 "PASS"; keepalived's <c>auth_type PASS</c>).
/// It only guards against misconfiguration: the password travels in clear text in every advert.</summary>
public sealed record VrrpAuthentication(string? Password, string? PasswordFile);

/// <summary>A tracked check, optionally with a weight that overrides the check's own.</summary>
public sealed record TrackedCheckReference(string Check, int? Weight)
{
    /// <summary>For a tracked file only (keepalived's <c>weight W reverse|noreverse</c>): overrides the file's
    /// reverse; null: the file's.</summary>
    public bool? Reverse { get; init; }
}

/// <summary>An interface whose link state the instance tracks; weight 0 means FAULT while it is down.</summary>
public sealed record TrackedInterface(string Interface, int Weight);

/// <summary>Commands run on transitions (keepalived-compatible arguments: TYPE NAME STATE PRIORITY) and an optional webhook.</summary>
public sealed record VrrpNotify(string? Master, string? Backup, string? Fault, string? Stop, string? Any, Uri? Webhook)
{
    /// <summary>Whether transitions are mailed (keepalived's <c>smtp_alert</c>); null: as <see cref="MailAlerts.Vrrp"/> says.</summary>
    public bool? Mail { get; init; }
}

/// <summary>Gratuitous ARP / unsolicited NA on becoming MASTER: <paramref name="Count"/> at once, and
/// <paramref name="RepeatCount"/> more after <paramref name="RepeatDelay"/> (keepalived: 5, 5 s, 5).</summary>
public sealed record GratuitousArp(int Count, TimeSpan RepeatDelay, int RepeatCount)
{
    public static GratuitousArp Default { get; } = new(5, TimeSpan.FromSeconds(5), 5);
}
