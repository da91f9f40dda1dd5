using System.Buffers.Binary;
using Reconciler.Linux.Netlink;

namespace Reconciler.Linux.Tests.Netlink;

public sealed class GenericNetlinkFamilyTests
{
    [Fact]
    public void WriteGetFamily_IsByteForByteWhatIpvsadmSends()
    {
        byte[] captured = CapturedExchange.Load("01").Datagrams.First(d => d.Sent).Bytes;
        var buffer = new byte[64];
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(
            GenericNetlink.GENL_ID_CTRL,
            NetlinkConstants.NLM_F_REQUEST | NetlinkConstants.NLM_F_ACK,
            BinaryPrimitives.ReadUInt32LittleEndian(captured.AsSpan(8)),
            BinaryPrimitives.ReadUInt32LittleEndian(captured.AsSpan(12)));
        GenericNetlinkFamily.WriteGetFamily(ref writer, "IPVS");
        int length = writer.EndMessage();

        Assert.Equal(Convert.ToHexStringLower(captured), Convert.ToHexStringLower(buffer.AsSpan(0, length)));
    }

    [Fact]
    public void ReadFamilyId_CapturedControllerReply_IsTheIpvsFamily()
    {
        byte[] reply = CapturedExchange.Load("01").Datagrams.First(d => !d.Sent).Bytes;
        var reader = new NetlinkMessageReader(reply);
        Assert.True(reader.TryRead(out var message));

        Assert.Equal(GenericNetlink.CTRL_CMD_NEWFAMILY, message.GenericCommand);
        Assert.Equal(CapturedExchange.IpvsFamilyId, GenericNetlinkFamily.ReadFamilyId(message));
    }
}
