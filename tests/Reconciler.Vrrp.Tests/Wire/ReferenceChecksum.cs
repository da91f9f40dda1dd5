using System.Net;
using System.Net.Sockets;

namespace Reconciler.Vrrp.Tests.Wire;

/// <summary>
/// A second, deliberately naive Internet checksum (byte pairs summed in a long, folded once at the end), written
/// apart from the production code so golden tests do not check the codec against itself.
/// </summary>
internal static class ReferenceChecksum
{
    public static int Of(byte[] bytes)
    {
        long sum = 0;
        for (var i = 0; i < bytes.Length; i += 2)
        {
            var high = bytes[i];
            var low = i + 1 < bytes.Length ? bytes[i + 1] : 0;
            sum += (high * 256) + low;
        }

        while (sum > 0xffff)
        {
            sum = (sum % 65536) + (sum / 65536);
        }

        return (int)(0xffff - sum);
    }

    /// <summary>VRRPv3: pseudo-header (RFC 5798 5.2.8) followed by the message with a zero checksum field.</summary>
    public static int V3(IPAddress source, IPAddress destination, byte[] messageWithZeroChecksum)
    {
        var header = new List<byte>();
        header.AddRange(source.GetAddressBytes());
        header.AddRange(destination.GetAddressBytes());
        var length = messageWithZeroChecksum.Length;
        if (source.AddressFamily == AddressFamily.InterNetwork)
        {
            header.AddRange([0, 112, (byte)(length >> 8), (byte)length]);
        }
        else
        {
            header.AddRange([0, 0, (byte)(length >> 8), (byte)length, 0, 0, 0, 112]);
        }

        return Of([.. header, .. messageWithZeroChecksum]);
    }
}
