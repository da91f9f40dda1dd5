using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Reconciler.Vrrp.Wire;

/// <summary>
/// The Internet checksum (RFC 1071): the 16-bit one's complement of the one's complement sum of the
/// data taken as big-endian 16-bit words, an odd trailing byte padded with zero. VRRPv2 sums the VRRP
/// message alone; VRRPv3 prefixes the IPv4 (RFC 768 style) or IPv6 (RFC 8200 8.1) pseudo-header.
/// </summary>
public static class InternetChecksum
{
    /// <summary>Adds <paramref name="data"/> to a running 32-bit accumulator (not yet folded).</summary>
    public static uint Add(uint sum, ReadOnlySpan<byte> data)
    {
        ulong acc = sum;
        var i = 0;
        for (; i + 1 < data.Length; i += 2)
        {
            acc += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if (i < data.Length)
        {
            acc += (uint)(data[i] << 8);
        }

        return Fold32(acc);
    }

    /// <summary>Folds the carries and complements: the value to put in the checksum field.</summary>
    public static ushort Finish(uint sum)
    {
        var folded = sum;
        while (folded > 0xFFFF)
        {
            folded = (folded & 0xFFFF) + (folded >> 16);
        }

        return (ushort)~folded;
    }

    /// <summary>The checksum of <paramref name="data"/> alone (VRRPv2).</summary>
    public static ushort Compute(ReadOnlySpan<byte> data) => Finish(Add(0, data));

    /// <summary>
    /// The checksum of an upper-layer message behind the pseudo-header for <paramref name="source"/>,
    /// <paramref name="destination"/> and <paramref name="protocol"/> (VRRPv3: protocol 112, the
    /// destination being the multicast group or the unicast peer).
    /// </summary>
    public static ushort ComputeWithPseudoHeader(IPAddress source, IPAddress destination, byte protocol, ReadOnlySpan<byte> message) =>
        Finish(Add(PseudoHeaderSum(source, destination, protocol, message.Length), message));

    /// <summary>The unfolded sum of the pseudo-header alone.</summary>
    public static uint PseudoHeaderSum(IPAddress source, IPAddress destination, byte protocol, int upperLayerLength)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (source.AddressFamily != destination.AddressFamily)
        {
            throw new ArgumentException("Source and destination must be of one address family.", nameof(destination));
        }

        if (source.AddressFamily == AddressFamily.InterNetwork)
        {
            // src(4) dst(4) zero(1) protocol(1) length(2)
            Span<byte> header = stackalloc byte[12];
            header.Clear();
            source.TryWriteBytes(header[..4], out _);
            destination.TryWriteBytes(header[4..8], out _);
            header[9] = protocol;
            BinaryPrimitives.WriteUInt16BigEndian(header[10..], checked((ushort)upperLayerLength));
            return Add(0, header);
        }

        if (source.AddressFamily == AddressFamily.InterNetworkV6)
        {
            // src(16) dst(16) upper-layer length(4) zero(3) next header(1)
            Span<byte> header = stackalloc byte[40];
            header.Clear();
            source.TryWriteBytes(header[..16], out _);
            destination.TryWriteBytes(header[16..32], out _);
            BinaryPrimitives.WriteUInt32BigEndian(header[32..36], checked((uint)upperLayerLength));
            header[39] = protocol;
            return Add(0, header);
        }

        throw new ArgumentException($"Address family {source.AddressFamily} has no pseudo-header.", nameof(source));
    }

    private static uint Fold32(ulong acc)
    {
        while (acc > uint.MaxValue)
        {
            acc = (acc & 0xFFFF_FFFF) + (acc >> 32);
        }

        return (uint)acc;
    }
}
