using System.Buffers.Binary;
using System.Net;

namespace Reconciler.Health.Probes;

/// <summary>ICMP echo request and reply on bytes (RFC 792, RFC 4443 section 4), as a raw socket sends and receives
/// them: an IPv4 raw socket receives the IP header before the ICMP message, an IPv6 one does not.</summary>
internal static class IcmpEcho
{
    public const int HeaderLength = 8;
    public const byte EchoRequestV4 = 8;
    public const byte EchoReplyV4 = 0;
    public const byte EchoRequestV6 = 128;
    public const byte EchoReplyV6 = 129;

    private const int Ipv4MinHeader = 20;

    /// <summary>Writes an echo request: type, code 0, checksum, identifier, sequence, then <paramref name="payload"/>.
    /// The IPv4 checksum is computed here; the kernel fills ICMPv6's (it covers a pseudo-header it owns).</summary>
    public static void WriteRequest(Span<byte> destination, bool v6, ushort identifier, ushort sequence, ReadOnlySpan<byte> payload)
    {
        destination[0] = v6 ? EchoRequestV6 : EchoRequestV4;
        destination[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], identifier);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], sequence);
        payload.CopyTo(destination[HeaderLength..]);
        if (!v6)
        {
            var message = destination[..(HeaderLength + payload.Length)];
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Checksum(message));
        }
    }

    /// <summary>Whether <paramref name="received"/> is the echo reply from <paramref name="source"/> to the request
    /// with <paramref name="identifier"/> and <paramref name="sequence"/>. For IPv4 the source is read from the IP
    /// header; for IPv6 the socket is connected to the source, so the kernel has matched it.</summary>
    public static bool IsReply(ReadOnlySpan<byte> received, bool v6, IPAddress source, ushort identifier, ushort sequence)
    {
        var message = received;
        if (!v6)
        {
            if (received.Length < Ipv4MinHeader || received[0] >> 4 != 4)
            {
                return false;
            }

            var headerLength = (received[0] & 0x0f) * 4;
            Span<byte> address = stackalloc byte[4];
            if (headerLength < Ipv4MinHeader || received.Length < headerLength
                || !source.TryWriteBytes(address, out _) || !received.Slice(12, 4).SequenceEqual(address))
            {
                return false;
            }

            message = received[headerLength..];
        }

        return message.Length >= HeaderLength
            && message[0] == (v6 ? EchoReplyV6 : EchoReplyV4)
            && message[1] == 0
            && BinaryPrimitives.ReadUInt16BigEndian(message[4..]) == identifier
            && BinaryPrimitives.ReadUInt16BigEndian(message[6..]) == sequence;
    }

    /// <summary>The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit words.</summary>
    public static ushort Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        var i = 0;
        for (; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if (i < data.Length)
        {
            sum += (uint)(data[i] << 8);
        }

        while (sum >> 16 != 0)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}
