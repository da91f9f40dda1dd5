using System.Buffers.Binary;
using System.Net;

namespace Reconciler.Vrrp.Wire;

/// <summary>
/// The facts the VRRP receive rules need from an IPv4 header, as a raw IPv4 socket delivers it
/// (IPv6 raw sockets deliver the payload alone; the edge takes hop limit and destination from
/// <c>IPV6_HOPLIMIT</c> / <c>IPV6_PKTINFO</c> ancillary data).
/// </summary>
public static class Ipv4Header
{
    private const int MinimumHeaderLength = 20;

    /// <summary>
    /// Splits a received IPv4 datagram into header facts and the VRRP message. Total: never throws.
    /// Checks version 4, header length, total length equal to what was received (keepalived's check)
    /// and protocol 112.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out VrrpPacketInfo info, out ReadOnlySpan<byte> message, out VrrpDropReason reason)
    {
        info = default;
        message = default;
        if (datagram.Length < MinimumHeaderLength)
        {
            reason = VrrpDropReason.IpHeaderInvalid;
            return false;
        }

        var version = datagram[0] >> 4;
        var headerLength = (datagram[0] & 0x0F) * 4;
        if (version != 4 || headerLength < MinimumHeaderLength || headerLength > datagram.Length)
        {
            reason = VrrpDropReason.IpHeaderInvalid;
            return false;
        }

        var totalLength = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        if (totalLength < headerLength)
        {
            reason = VrrpDropReason.IpHeaderInvalid;
            return false;
        }

        if (totalLength != datagram.Length)
        {
            reason = VrrpDropReason.LengthMismatch;
            return false;
        }

        if (datagram[9] != VrrpConstants.IPPROTO_VRRP)
        {
            reason = VrrpDropReason.NotVrrpProtocol;
            return false;
        }

        info = new VrrpPacketInfo(new IPAddress(datagram.Slice(12, 4)), new IPAddress(datagram.Slice(16, 4)), datagram[8]);
        message = datagram[headerLength..];
        reason = VrrpDropReason.None;
        return true;
    }
}
