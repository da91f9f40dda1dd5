using System.Net;
using System.Net.Sockets;
using Reconciler.Topology.Model;
using Reconciler.Vrrp.Wire;

namespace Reconciler.Vrrp;

/// <summary>
/// Everything one node's <see cref="VrrpRouter"/> needs for one VRRP instance, resolved from the topology
/// (see <see cref="FromTopology"/>). Immutable; a changed instance means a new router.
/// </summary>
/// <param name="InstanceName">The instance name (notify arguments, logs).</param>
/// <param name="Interface">The interface adverts go out on for this node. It is implicitly tracked with weight 0: down means FAULT.</param>
/// <param name="VirtualRouterId">VRID 1..255.</param>
/// <param name="Version">2 or 3.</param>
/// <param name="Family">IPv4 or IPv6 (the family of the virtual addresses and of the adverts).</param>
/// <param name="AdvertInterval">v2: whole seconds 1..255; v3: 10 ms steps, 10 ms..40.95 s.</param>
/// <param name="Priority">This node's configured priority 1..255 (255 = address owner).</param>
/// <param name="Preempt">Whether a higher-priority backup takes over from a lower-priority master.</param>
/// <param name="PreemptDelay">keepalived's <c>preempt_delay</c>: how long lower-priority adverts are still accepted before preempting.</param>
/// <param name="PrimaryAddress">The IP source of our adverts; compared with the peer's on equal priority.</param>
/// <param name="UnicastPeers">Peers to send to (without our own addresses); empty means multicast.</param>
/// <param name="VirtualAddresses">The virtual addresses, in advert order.</param>
/// <param name="TrackedChecks">Tracked checks with resolved weights.</param>
/// <param name="TrackedInterfaces">Tracked interfaces with weights.</param>
/// <param name="AuthPassword">v2 simple-text password (clear text on the wire; see <see cref="VrrpPassword"/>); null for none. Ignored for v3, as keepalived does.</param>
/// <param name="Garp">Gratuitous ARP / unsolicited NA schedule on becoming MASTER.</param>
public sealed partial record VrrpRouterConfig(
    string InstanceName,
    string Interface,
    byte VirtualRouterId,
    int Version,
    AddressFamily Family,
    TimeSpan AdvertInterval,
    int Priority,
    bool Preempt,
    TimeSpan PreemptDelay,
    IPAddress PrimaryAddress,
    ValueList<IPAddress> UnicastPeers,
    ValueList<InterfaceAddress> VirtualAddresses,
    ValueList<VrrpTrackedCheck> TrackedChecks,
    ValueList<VrrpTrackedInterface> TrackedInterfaces,
    string? AuthPassword,
    GratuitousArp Garp)
{
    /// <summary>
    /// Drop unicast adverts whose source is not a configured peer (keepalived's <c>vrrp_check_unicast_src</c>). On by
    /// default, where keepalived's is off: with it off, any host that can reach this router can send it a
    /// higher-priority advert and take the VIP.
    /// </summary>
    public bool CheckUnicastSource { get; init; } = true;

    /// <summary>
    /// keepalived's default (<c>old_unicast_checksum</c> unset): a VRRPv3 IPv4 unicast advert whose checksum only
    /// verifies with 224.0.0.18 in the pseudo-header is accepted, and from then on we send that way too.
    /// </summary>
    public bool DetectLegacyUnicastChecksum { get; init; } = true;

    /// <summary>
    /// keepalived's default (<c>lower_prio_no_advert</c> unset): a MASTER that receives a lower-priority advert
    /// answers with an advert at once, so the other side steps down without waiting an interval. RFC 5798
    /// says only to discard it.
    /// </summary>
    public bool AdvertOnLowerPriority { get; init; } = true;

    /// <summary>The instance's virtual routes (keepalived's <c>virtual_routes</c>): the host adds them after the virtual
    /// addresses and removes them before (<see cref="IVrrpRouterHost.AddVirtualAddresses"/>); the router decides nothing
    /// about them.</summary>
    public IReadOnlyList<IpRoute> VirtualRoutes { get; init; } = [];

    /// <summary>The instance's virtual policy rules (<c>virtual_rules</c>): added after the routes, removed before them.</summary>
    public IReadOnlyList<IpRule> VirtualRules { get; init; } = [];

    /// <summary>keepalived's <c>use_vmac</c> (null: off): the edge runs the instance on a macvlan with the virtual MAC,
    /// created on <see cref="Interface"/>; the router itself does not care.</summary>
    public VirtualMac? Vmac { get; init; }

    /// <summary>Labels of virtual addresses (address text to label; see <see cref="VrrpInstance.VirtualAddressLabels"/>).</summary>
    public ValueMap<string> AddressLabels { get; init; } = ValueMap<string>.Empty;

    /// <summary>Whether adverts go unicast to <see cref="UnicastPeers"/>.</summary>
    public bool UsesUnicast => UnicastPeers.Count > 0;

    /// <summary>Priority 255: the router owns the addresses, goes MASTER at once and is never adjusted by tracking.</summary>
    public bool IsAddressOwner => Priority == VrrpConstants.VRRP_PRIORITY_OWNER;

    /// <summary>The v2 Auth Type we send and require.</summary>
    public VrrpAuthType AuthType =>
        Version == VrrpConstants.VRRP_VERSION_2 && AuthPassword is not null ? VrrpAuthType.SimpleText : VrrpAuthType.None;

    /// <summary>The v2 authentication data we send and require.</summary>
    public ulong AuthData => AuthType == VrrpAuthType.SimpleText ? VrrpPassword.Encode(AuthPassword!) : 0;

    /// <summary>The multicast group of <see cref="Family"/>.</summary>
    public IPAddress MulticastGroup =>
        Family == AddressFamily.InterNetworkV6 ? VrrpConstants.VRRP_MCAST_GROUP6 : VrrpConstants.VRRP_MCAST_GROUP4;

    /// <summary>Where each advert goes: every unicast peer, or the multicast group.</summary>
    public IReadOnlyList<IPAddress> AdvertDestinations => UsesUnicast ? UnicastPeers : [MulticastGroup];

    /// <summary>The advert this router sends at <paramref name="priority"/>.</summary>
    public VrrpAdvert CreateAdvert(byte priority) =>
        new(Version, Family, VirtualRouterId, priority, AdvertInterval,
            VirtualAddresses.Select(v => v.Address).ToValueList(), AuthType, AuthData);

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        if (VirtualRouterId == 0)
        {
            errors.Add("virtual router id must be 1..255");
        }

        if (Version is not (VrrpConstants.VRRP_VERSION_2 or VrrpConstants.VRRP_VERSION_3))
        {
            errors.Add($"version {Version} is not 2 or 3");
        }

        if (Family is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            errors.Add($"family {Family} is not IPv4 or IPv6");
        }
        else if (Version == VrrpConstants.VRRP_VERSION_2 && Family != AddressFamily.InterNetwork)
        {
            errors.Add("VRRPv2 is IPv4 only");
        }

        if (Priority is < 1 or > 255)
        {
            errors.Add($"priority {Priority} is not 1..255");
        }

        if (AdvertInterval <= TimeSpan.Zero)
        {
            errors.Add("advert interval must be positive");
        }
        else if (Version is VrrpConstants.VRRP_VERSION_2 or VrrpConstants.VRRP_VERSION_3)
        {
            try
            {
                VrrpCodec.Validate(CreateAdvert(VrrpConstants.VRRP_PRIORITY_DEFAULT));
            }
            catch (ArgumentException e)
            {
                errors.Add(e.Message);
            }
        }

        if (PreemptDelay < TimeSpan.Zero)
        {
            errors.Add("preempt delay must not be negative");
        }

        if (PrimaryAddress.AddressFamily != Family)
        {
            errors.Add($"primary address {PrimaryAddress} is not {Family}");
        }

        foreach (var peer in UnicastPeers.Where(p => p.AddressFamily != Family))
        {
            errors.Add($"unicast peer {peer} is not {Family}");
        }

        if (Garp.Count < 0 || Garp.RepeatCount < 0 || Garp.RepeatDelay < TimeSpan.Zero)
        {
            errors.Add("gratuitous ARP counts and delay must not be negative");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException($"VRRP instance '{InstanceName}': " + string.Join("; ", errors));
        }
    }
}

/// <summary>A tracked check and the weight it has for this instance (already resolved: the reference's or else the check's).</summary>
/// <param name="Weight">keepalived semantics: a positive weight is added while the check is UP, a negative one while it
/// is DOWN; 0 means the instance is in FAULT while the check is down.</param>
public sealed record VrrpTrackedCheck(string Name, int Weight)
{
    /// <summary>A tracked file (keepalived's <c>track_file</c>): its value, reported with
    /// <see cref="VrrpRouter.SetFileValue"/>, counts as <see cref="Reconciler.Topology.Model.TrackedFileValue.ForVrrp"/> says
    /// with <see cref="Weight"/> and <see cref="Reverse"/>.</summary>
    public bool IsFile { get; init; }

    /// <summary>For a file: negate its value (with weight 0: a zero value is FAULT).</summary>
    public bool Reverse { get; init; }
}

/// <summary>A tracked interface and its weight (same semantics as <see cref="VrrpTrackedCheck"/>, with link up/down).</summary>
public sealed record VrrpTrackedInterface(string Name, int Weight);
