namespace Reconciler.Vrrp;

/// <summary>
/// Why a received packet was not acted on. Every drop is counted per reason in <see cref="VrrpCounters"/>;
/// <see cref="VirtualRouterIdMismatch"/> is the one the edge should not log (another virtual router on
/// the same link is normal).
/// </summary>
public enum VrrpDropReason
{
    /// <summary>Not dropped.</summary>
    None = 0,

    /// <summary>Shorter than the 8-byte fixed VRRP header.</summary>
    TooShort,

    /// <summary>Shorter than the header's address count (and, for v2, the authentication data) require.</summary>
    Truncated,

    /// <summary>Longer than the header's address count implies (trailing bytes), or the IPv4 total length disagrees with what was received.</summary>
    LengthMismatch,

    /// <summary>The IPv4 header is malformed (version, header length, total length).</summary>
    IpHeaderInvalid,

    /// <summary>The IP protocol is not 112 (VRRP).</summary>
    NotVrrpProtocol,

    /// <summary>IP TTL / IPv6 hop limit is not 255 (checked for multicast only, as keepalived does).</summary>
    TtlInvalid,

    /// <summary>The version field is neither 2 nor 3, or VRRPv2 arrived over IPv6.</summary>
    VersionInvalid,

    /// <summary>A valid version, but not the one this virtual router is configured for.</summary>
    VersionMismatch,

    /// <summary>The type is not ADVERTISEMENT (1).</summary>
    TypeInvalid,

    /// <summary>The checksum does not verify (v3: with the pseudo-header for the packet's source and destination).</summary>
    ChecksumInvalid,

    /// <summary>Another virtual router's advert (dropped silently, but counted).</summary>
    VirtualRouterIdMismatch,

    /// <summary>v2: an Auth Type other than 0, 1, 2.</summary>
    AuthTypeInvalid,

    /// <summary>v2: an Auth Type other than the configured one.</summary>
    AuthTypeMismatch,

    /// <summary>v2: the simple-text password differs.</summary>
    AuthFailure,

    /// <summary>v2: the Adver Int differs from ours (RFC 3768 7.1 and keepalived drop it; v3 accepts and learns it).</summary>
    AdvertIntervalMismatch,

    /// <summary>The advert interval is zero, which would make the master down interval the skew alone.</summary>
    AdvertIntervalInvalid,

    /// <summary>The address count differs from ours (dropped unless the sender is the address owner, priority 255).</summary>
    AddressCountMismatch,

    /// <summary>The address list differs from ours (dropped unless the sender is the address owner, priority 255).</summary>
    AddressListMismatch,

    /// <summary>The source is this router's own address (our own advert looped back, or a duplicate address).</summary>
    OwnAddress,

    /// <summary>Unicast mode with source checking on (the default): the source is not a configured peer.</summary>
    UnicastSourceNotPeer,

    /// <summary>IPv6 multicast: the source is not a link-local address (RFC 5798 5.1.2.1: a router sends from its link-local address).</summary>
    SourceNotLinkLocal,

    /// <summary>The router is stopped (or disposed); nothing is processed.</summary>
    NotRunning,
}
