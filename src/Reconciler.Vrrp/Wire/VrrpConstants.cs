using System.Net;

namespace Reconciler.Vrrp.Wire;

/// <summary>
/// Wire constants, named as RFC 3768 (VRRPv2) and RFC 5798 (VRRPv3) name them.
/// </summary>
public static class VrrpConstants
{
    /// <summary>IP protocol number of VRRP (RFC 5798 5.1.1.4 / 5.1.2.4).</summary>
    public const byte IPPROTO_VRRP = 112;

    /// <summary>TTL / hop limit every advert is sent with and must arrive with (RFC 5798 5.1.1.3 / 5.1.2.3).</summary>
    public const byte VRRP_IP_TTL = 255;

    public const int VRRP_VERSION_2 = 2;
    public const int VRRP_VERSION_3 = 3;

    /// <summary>The only packet type: ADVERTISEMENT (RFC 5798 5.2.2).</summary>
    public const int VRRP_TYPE_ADVERTISEMENT = 1;

    /// <summary>Priority a master sends when it stops participating (RFC 5798 5.2.4).</summary>
    public const byte VRRP_PRIORITY_STOP = 0;

    /// <summary>Priority of the router that owns the virtual addresses (RFC 5798 5.2.4).</summary>
    public const byte VRRP_PRIORITY_OWNER = 255;

    /// <summary>Default priority of a backup router (RFC 5798 5.2.4).</summary>
    public const byte VRRP_PRIORITY_DEFAULT = 100;

    /// <summary>Fixed header: version/type, VRID, priority, count, (v2) auth type + adver int / (v3) rsvd + max adver int, checksum.</summary>
    public const int VRRP_HEADER_LENGTH = 8;

    /// <summary>VRRPv2 authentication data trailer (RFC 3768 5.3.10 / RFC 2338 5.3.10).</summary>
    public const int VRRP_AUTH_DATA_LENGTH = 8;

    /// <summary>VRRPv3 Max Adver Int is 12 bits of centiseconds (RFC 5798 5.2.7).</summary>
    public const int VRRP_V3_MAX_ADVER_INT = 0x0FFF;

    /// <summary>VRRPv2 Adver Int is a byte of whole seconds (RFC 3768 5.3.7).</summary>
    public const int VRRP_V2_MAX_ADVER_INT = 0xFF;

    /// <summary>Count IPvX Addrs is one byte.</summary>
    public const int VRRP_MAX_ADDRESSES = 255;

    /// <summary>Longest message: v3 IPv6 with 255 addresses (v2 IPv4 with 255 addresses and auth data is shorter).</summary>
    public const int VRRP_MAX_MESSAGE_LENGTH = VRRP_HEADER_LENGTH + (VRRP_MAX_ADDRESSES * 16);

    /// <summary>IPv4 multicast group 224.0.0.18 (RFC 5798 5.1.1.2).</summary>
    public static IPAddress VRRP_MCAST_GROUP4 { get; } = IPAddress.Parse("224.0.0.18");

    /// <summary>IPv6 multicast group ff02::12 (RFC 5798 5.1.2.2).</summary>
    public static IPAddress VRRP_MCAST_GROUP6 { get; } = IPAddress.Parse("ff02::12");
}

/// <summary>VRRPv2 Auth Type (RFC 2338 5.3.6; RFC 3768 keeps the field but deprecates the methods).</summary>
public enum VrrpAuthType : byte
{
    /// <summary>No authentication (0).</summary>
    None = 0,

    /// <summary>Simple text password (1), keepalived's <c>auth_type PASS</c>.</summary>
    SimpleText = 1,

    /// <summary>IP Authentication Header (2), keepalived's <c>auth_type AH</c>; not supported here.</summary>
    IPAuthenticationHeader = 2,
}
