using System.Net;
using Reconciler.Health.Probes;

namespace Reconciler.Health.Tests.Probes;

public sealed class IcmpEchoTests
{
    private static readonly IPAddress Server = IPAddress.Parse("10.0.0.101");

    [Fact]
    public void Checksum_Rfc1071Example_IsTheComplementOfTheFoldedSum()
    {
        // RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (folded).
        Assert.Equal(0x220d, IcmpEcho.Checksum(Convert.FromHexString("0001F203F4F5F6F7")));
        Assert.Equal(0xfffe, IcmpEcho.Checksum([0x00, 0x01]));
        Assert.Equal(0xfeff, IcmpEcho.Checksum([0x01])); // an odd byte is padded with zero
    }

    [Fact]
    public void WriteRequest_V4_HeaderChecksumThenPayload()
    {
        var packet = new byte[12];

        IcmpEcho.WriteRequest(packet, v6: false, identifier: 0x1234, sequence: 0x0001, payload: "ping"u8);

        Assert.Equal(Convert.FromHexString("0800"), packet[..2]);
        Assert.Equal(Convert.FromHexString("1234000170696E67"), packet[4..]);
        Assert.Equal(0, IcmpEcho.Checksum(packet)); // a correct checksum makes the whole message sum to zero
    }

    [Fact]
    public void WriteRequest_V6_ChecksumLeftToTheKernel()
    {
        var packet = new byte[10];

        IcmpEcho.WriteRequest(packet, v6: true, identifier: 0xbeef, sequence: 7, payload: "hi"u8);

        Assert.Equal(Convert.FromHexString("80000000BEEF00076869"), packet);
    }

    [Fact]
    public void IsReply_V4_TheRequestsOwnReplyFromTheServer()
    {
        Assert.True(IcmpEcho.IsReply(V4Reply(Server, type: 0, id: 0x1234, seq: 9), false, Server, 0x1234, 9));
    }

    [Theory]
    [InlineData("10.0.0.102", 0, 0x1234, 9)] // another source
    [InlineData("10.0.0.101", 8, 0x1234, 9)] // the echo request itself (seen on loopback)
    [InlineData("10.0.0.101", 0, 0x1235, 9)] // another probe's identifier
    [InlineData("10.0.0.101", 0, 0x1234, 10)] // another sequence
    public void IsReply_V4_OthersIgnored(string source, byte type, int id, int seq)
    {
        Assert.False(IcmpEcho.IsReply(V4Reply(IPAddress.Parse(source), type, (ushort)id, (ushort)seq), false, Server, 0x1234, 9));
    }

    [Fact]
    public void IsReply_V4_HeaderWithOptions_SkipsThem()
    {
        var reply = V4Reply(Server, 0, 1, 2, optionWords: 2);

        Assert.True(IcmpEcho.IsReply(reply, false, Server, 1, 2));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(19)]
    [InlineData(27)]
    public void IsReply_V4_Truncated_Ignored(int length)
    {
        Assert.False(IcmpEcho.IsReply(V4Reply(Server, 0, 1, 2).AsSpan(0, length), false, Server, 1, 2));
    }

    [Fact]
    public void IsReply_V6_NoIpHeader()
    {
        var server = IPAddress.Parse("fd00::101");

        Assert.True(IcmpEcho.IsReply(Convert.FromHexString("8100ABCD00050009"), true, server, 5, 9));
        Assert.False(IcmpEcho.IsReply(Convert.FromHexString("8000ABCD00050009"), true, server, 5, 9));
        Assert.False(IcmpEcho.IsReply(Convert.FromHexString("8100ABCD0005"), true, server, 5, 9));
    }

    private static byte[] V4Reply(IPAddress source, byte type, ushort id, ushort seq, int optionWords = 0)
    {
        var headerLength = 20 + (optionWords * 4);
        var packet = new byte[headerLength + 8];
        packet[0] = (byte)(0x40 | (headerLength / 4));
        packet[9] = 1; // ICMP
        source.GetAddressBytes().CopyTo(packet, 12);
        IcmpEcho.WriteRequest(packet.AsSpan(headerLength), v6: false, id, seq, []);
        packet[headerLength] = type;
        return packet;
    }
}
