using System.Net;
using System.Net.Sockets;
using Reconciler.Topology.Model;

namespace Reconciler.Vrrp.Wire;

/// <summary>
/// One VRRP ADVERTISEMENT as it travels (the VRRP message, without the IP header). The checksum is not
/// part of the value: the codec computes it on encode and verifies it separately on receive, because
/// for VRRPv3 it depends on the IP source and destination.
/// </summary>
/// <param name="Version">2 (RFC 3768) or 3 (RFC 5798).</param>
/// <param name="Family">Address family of <paramref name="Addresses"/>; VRRPv2 is IPv4 only.</param>
/// <param name="VirtualRouterId">VRID 1..255 (0 is representable on the wire but never valid).</param>
/// <param name="Priority">0 (master stops), 1..254, 255 (address owner).</param>
/// <param name="AdvertInterval">v2: whole seconds 0..255; v3: multiples of 10 ms, 0..40.95 s.</param>
/// <param name="Addresses">The virtual addresses, in the sender's order.</param>
/// <param name="AuthType">v2 only; <see cref="VrrpAuthType.None"/> for v3.</param>
/// <param name="AuthData">v2 only: the 8 authentication bytes as a big-endian number (see <see cref="VrrpPassword"/>).</param>
public sealed record VrrpAdvert(
    int Version,
    AddressFamily Family,
    byte VirtualRouterId,
    byte Priority,
    TimeSpan AdvertInterval,
    ValueList<IPAddress> Addresses,
    VrrpAuthType AuthType = VrrpAuthType.None,
    ulong AuthData = 0)
{
    /// <summary>Bytes per address on the wire: 4 for IPv4, 16 for IPv6.</summary>
    public int AddressLength => Family == AddressFamily.InterNetworkV6 ? 16 : 4;

    /// <summary>Length of the encoded message.</summary>
    public int EncodedLength =>
        VrrpConstants.VRRP_HEADER_LENGTH + (Addresses.Count * AddressLength) +
        (Version == VrrpConstants.VRRP_VERSION_2 ? VrrpConstants.VRRP_AUTH_DATA_LENGTH : 0);

    /// <summary>The same advert with another priority (a stopping master sends priority 0).</summary>
    public VrrpAdvert WithPriority(byte priority) => this with { Priority = priority };
}
