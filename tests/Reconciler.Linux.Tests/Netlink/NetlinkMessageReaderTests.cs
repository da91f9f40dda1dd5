using Reconciler.Linux.Netlink;

namespace Reconciler.Linux.Tests.Netlink;

public sealed class NetlinkMessageReaderTests
{
    public static TheoryData<string> Captures() => new(CapturedExchange.All());

    [Theory]
    [MemberData(nameof(Captures))]
    public void TryRead_EveryCapturedDatagram_ParsesToItsEnd(string capture)
    {
        foreach (var datagram in CapturedExchange.Load(capture).Datagrams)
        {
            var reader = new NetlinkMessageReader(datagram.Bytes);
            int covered = 0;
            int count = 0;
            while (reader.TryRead(out var message))
            {
                covered += NetlinkConstants.Align((int)message.Header.Length);
                count++;
                Assert.Equal((int)message.Header.Length - NetlinkMessageHeader.Size, message.Payload.Length);
                if (message.Header.Type >= NetlinkConstants.NLMSG_MIN_TYPE)
                {
                    var attributes = message.Attributes(GenericNetlink.GENL_HDRLEN);
                    while (attributes.TryRead(out _))
                    {
                    }
                }
            }

            Assert.True(count > 0);
            Assert.InRange(datagram.Bytes.Length, covered - 3, covered);
        }
    }

    [Fact]
    public void TryRead_LengthPastTheDatagram_Throws()
    {
        byte[] datagram = Convert.FromHexString("40000000" + "1000" + "0000" + "01000000" + "00000000");
        Assert.Throws<NetlinkProtocolException>(() =>
        {
            var reader = new NetlinkMessageReader(datagram);
            reader.TryRead(out _);
        });
    }

    [Fact]
    public void TryRead_LengthBelowHeader_Throws()
    {
        byte[] datagram = Convert.FromHexString("08000000" + "1000" + "0000" + "01000000" + "00000000");
        Assert.Throws<NetlinkProtocolException>(() =>
        {
            var reader = new NetlinkMessageReader(datagram);
            reader.TryRead(out _);
        });
    }

    [Fact]
    public void AttributeReader_LengthPastTheEnd_Throws()
    {
        byte[] attributes = Convert.FromHexString("0c000100" + "01000000");
        Assert.Throws<NetlinkProtocolException>(() =>
        {
            var reader = new NetlinkAttributeReader(attributes);
            reader.TryRead(out _);
        });
    }

    [Fact]
    public void Attribute_GetterOnShortValue_Throws()
    {
        byte[] attributes = Convert.FromHexString("06000100" + "0100" + "0000");
        Assert.Throws<NetlinkProtocolException>(() =>
        {
            var reader = new NetlinkAttributeReader(attributes);
            reader.TryRead(out var attribute);
            attribute.GetUInt32();
        });
    }
}
