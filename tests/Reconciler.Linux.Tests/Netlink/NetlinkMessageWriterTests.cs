using Reconciler.Linux.Netlink;

namespace Reconciler.Linux.Tests.Netlink;

public sealed class NetlinkMessageWriterTests
{
    [Fact]
    public void EndMessage_PatchesLengthAndKeepsHeaderFields()
    {
        var buffer = new byte[64];
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(0x20, 0x0005, 0x11223344, 7);
        writer.WriteGenericHeader(15, 1);
        int length = writer.EndMessage();

        Assert.Equal(20, length);
        Assert.Equal("14000000" + "2000" + "0500" + "44332211" + "07000000" + "0f010000", Convert.ToHexStringLower(buffer.AsSpan(0, length)));
    }

    [Fact]
    public void WriteAttribute_PadsValueToFourBytes()
    {
        var buffer = new byte[32];
        var writer = new NetlinkMessageWriter(buffer);
        writer.WriteString(6, "wlc");
        writer.WriteUInt8(13, 2);
        writer.WriteUInt16BigEndian(4, 80);

        Assert.Equal("0800060077" + "6c6300" + "05000d0002000000" + "0600040000500000", Convert.ToHexStringLower(writer.Written));
    }

    [Fact]
    public void BeginNested_FlagsNestedAndEndNestedPatchesLength()
    {
        var buffer = new byte[32];
        var writer = new NetlinkMessageWriter(buffer);
        int nest = writer.BeginNested(1);
        writer.WriteUInt16(1, 2);
        writer.WriteUInt32(5, 7);
        writer.EndNested(nest);

        Assert.Equal("14000180" + "0600010002000000" + "0800050007000000", Convert.ToHexStringLower(writer.Written));
    }

    [Fact]
    public void Reserve_PastTheBuffer_Throws()
    {
        var buffer = new byte[8];
        bool threw = false;
        try
        {
            var writer = new NetlinkMessageWriter(buffer);
            writer.WriteUInt64(1, 1);
        }
        catch (InvalidOperationException)
        {
            threw = true;
        }

        Assert.True(threw);
    }

    [Fact]
    public void BeginMessage_TwiceWithoutEnd_Throws()
    {
        var buffer = new byte[64];
        bool threw = false;
        try
        {
            var writer = new NetlinkMessageWriter(buffer);
            writer.BeginMessage(1, 0, 1);
            writer.BeginMessage(1, 0, 2);
        }
        catch (InvalidOperationException)
        {
            threw = true;
        }

        Assert.True(threw);
    }
}
