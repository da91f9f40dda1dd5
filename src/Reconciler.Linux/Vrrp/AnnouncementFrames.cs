using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Reconciler.Vrrp.Wire;

namespace Reconciler.Linux.Vrrp;

/// <summary>
/// Whole Ethernet frames that announce a virtual address after a takeover (pure; golden-byte tested):
/// a gratuitous ARP request for IPv4 (RFC 5227 announcement style: sender = target = the address, broadcast),
/// an unsolicited neighbour advertisement for IPv6 (RFC 4861 7.2.6: to ff02::1, Override set, with the target
/// link-layer address option), as keepalived sends them.
/// </summary>
public static class AnnouncementFrames
{
    public const int EthernetHeaderLength = 14;

    /// <summary>A gratuitous ARP frame padded to the 60-byte Ethernet minimum.</summary>
    public const int GratuitousArpLength = 60;

    /// <summary>Ethernet + IPv6 header + NA (24) + target link-layer option (8).</summary>
    public const int NeighborAdvertisementLength = EthernetHeaderLength + 40 + 32;

    private const ushort EtherTypeArp = 0x0806;
    private const ushort EtherTypeIPv6 = 0x86DD;
    private const byte IcmpV6 = 58;
    private const byte NeighborAdvertisementType = 136;
    private const uint OverrideFlag = 0x20000000;
    private static readonly IPAddress AllNodes = IPAddress.Parse("ff02::1");

    /// <summary>The frame announcing <paramref name="address"/>: ARP for IPv4, NA for IPv6.</summary>
    public static byte[] Build(ReadOnlySpan<byte> mac, IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6
        ? BuildNeighborAdvertisement(mac, address)
        : BuildGratuitousArp(mac, address);

    public static byte[] BuildGratuitousArp(ReadOnlySpan<byte> mac, IPAddress address)
    {
        CheckMac(mac);
        Span<byte> ip = stackalloc byte[4];
        if (!address.TryWriteBytes(ip, out int written) || written != 4)
        {
            throw new ArgumentException($"{address} is not IPv4", nameof(address));
        }

        var frame = new byte[GratuitousArpLength];
        var span = frame.AsSpan();
        span[..6].Fill(0xFF);
        mac.CopyTo(span[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(span[12..], EtherTypeArp);
        var arp = span[EthernetHeaderLength..];
        BinaryPrimitives.WriteUInt16BigEndian(arp, 1);           // hardware type: Ethernet
        BinaryPrimitives.WriteUInt16BigEndian(arp[2..], 0x0800); // protocol type: IPv4
        arp[4] = 6;
        arp[5] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(arp[6..], 1);      // ARPOP_REQUEST
        mac.CopyTo(arp[8..]);
        ip.CopyTo(arp[14..]);
        arp.Slice(18, 6).Fill(0xFF);                            // target hardware: broadcast, as keepalived sends it
        ip.CopyTo(arp[24..]);
        return frame;                                           // the rest is zero padding
    }

    public static byte[] BuildNeighborAdvertisement(ReadOnlySpan<byte> mac, IPAddress address)
    {
        CheckMac(mac);
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            throw new ArgumentException($"{address} is not IPv6", nameof(address));
        }

        var frame = new byte[NeighborAdvertisementLength];
        var span = frame.AsSpan();
        span[0] = 0x33;
        span[1] = 0x33;
        BinaryPrimitives.WriteUInt32BigEndian(span[2..], 1);    // 33:33:00:00:00:01, ff02::1's MAC
        mac.CopyTo(span[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(span[12..], EtherTypeIPv6);

        var ip = span[EthernetHeaderLength..];
        ip[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], 32);     // payload length
        ip[6] = IcmpV6;
        ip[7] = 255;                                           // hop limit (RFC 4861 requires 255)
        var target = new byte[16];
        address.TryWriteBytes(target, out _);
        target.CopyTo(ip[8..]);                                // source: the announced address itself
        AllNodes.TryWriteBytes(ip[24..], out _);

        var icmp = ip[40..];
        icmp[0] = NeighborAdvertisementType;
        BinaryPrimitives.WriteUInt32BigEndian(icmp[4..], OverrideFlag);
        target.CopyTo(icmp[8..]);
        icmp[24] = 2;                                          // option: target link-layer address
        icmp[25] = 1;                                          // length in units of 8 bytes
        mac.CopyTo(icmp[26..]);
        var scopeless = new IPAddress(target);
        var checksum = InternetChecksum.ComputeWithPseudoHeader(scopeless, AllNodes, IcmpV6, icmp[..32]);
        BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], checksum);
        return frame;
    }

    private static void CheckMac(ReadOnlySpan<byte> mac)
    {
        if (mac.Length != 6)
        {
            throw new ArgumentException($"an Ethernet address has 6 bytes, not {mac.Length}", nameof(mac));
        }
    }
}
