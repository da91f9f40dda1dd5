using System.Buffers.Binary;
using Reconciler.Linux.Native;
using Reconciler.Linux.Netlink;

namespace Reconciler.Linux.Tests.Netlink;

public sealed class NetlinkErrorTests
{
    [Fact]
    public void Parse_CapturedCappedAck_IsAckForTheRequest()
    {
        var exchange = CapturedExchange.Load("01");
        byte[] ack = exchange.Datagrams.Last().Bytes;
        var error = Parse(ack);

        Assert.True(error.IsAck);
        Assert.Equal(Sequence(exchange.Datagrams.Last(d => d.Sent).Bytes), error.RequestSequence);
    }

    [Theory]
    [InlineData("22", Errno.EEXIST)]
    [InlineData("23", Errno.ESRCH)]
    [InlineData("24", Errno.EEXIST)]
    [InlineData("26", Errno.ENOENT)]
    public void Parse_CapturedKernelError_GivesErrno(string capture, int errno)
    {
        var exchange = CapturedExchange.Load(capture);
        var error = exchange.ReceivedFromIpvs()
            .Where(d => BinaryPrimitives.ReadUInt16LittleEndian(d.AsSpan(4)) == NetlinkConstants.NLMSG_ERROR)
            .Select(Parse)
            .Single(e => !e.IsAck);

        Assert.Equal(errno, error.Errno);
        Assert.Null(error.KernelMessage);
    }

    [Fact]
    public void Parse_ExtendedAck_ReadsTheKernelMessage()
    {
        // error -22, capped request header, NLMSGERR_ATTR_MSG "address not unicast"
        string text = Convert.ToHexStringLower("address not unicast\0"u8);
        string body = "eaffffff" + "14000000200005000900000007000000" + $"{24:x2}000100" + text;
        string header = $"{16 + (body.Length / 2):x2}000000" + "0200" + "0003" + "09000000" + "07000000";
        var error = Parse(Convert.FromHexString(header + body));

        Assert.Equal(Errno.EINVAL, error.Errno);
        Assert.Equal(9u, error.RequestSequence);
        Assert.Equal("address not unicast", error.KernelMessage);
    }

    private static NetlinkError Parse(byte[] datagram)
    {
        var reader = new NetlinkMessageReader(datagram);
        Assert.True(reader.TryRead(out var message));
        Assert.Equal(NetlinkConstants.NLMSG_ERROR, message.Header.Type);
        return NetlinkError.Parse(message);
    }

    private static uint Sequence(byte[] datagram) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(datagram.AsSpan(8));
}
