using Reconciler.Linux.Netlink;
using Reconciler.Linux.Route;

namespace Reconciler.Linux.Tests.Route;

/// <summary>The link requests behind a VRRP instance's vmac, byte for byte (the lab's VrrpVmacTests show the kernel
/// takes them), and IFLA_LINKINFO / IFLA_LINK read back from a link dump entry.</summary>
public sealed class LinkMessagesTests
{
    private delegate void Body(ref NetlinkMessageWriter writer);

    private static string Encode(ushort type, ushort flags, Body body)
    {
        var buffer = new byte[256];
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(type, flags, 7, 0);
        body(ref writer);
        int length = writer.EndMessage();
        return Convert.ToHexString(buffer, 0, length).ToLowerInvariant();
    }

    [Fact]
    public void NewMacvlan_Private_OnLowerWithTheVirtualMac_GoldenBytes()
    {
        var mac = Topology.Model.VirtualMac.HardwareAddress(System.Net.Sockets.AddressFamily.InterNetwork, 51);
        var hex = Encode(RouteNetlink.RTM_NEWLINK, 0x605, (ref NetlinkMessageWriter w) => LinkMessages.WriteMacvlanRequest(ref w, "vrrp.51", 2, mac, LinkNetlink.MACVLAN_MODE_PRIVATE));
        Assert.Equal(
            "5c000000" + "1000" + "0506" + "07000000" + "00000000" +  // nlmsghdr: 92 bytes, RTM_NEWLINK, REQUEST|ACK|EXCL|CREATE
            "00" + "00" + "0000" + "00000000" + "00000000" + "00000000" + // ifinfomsg: AF_UNSPEC, index 0, no flags
            "0c00" + "0300" + "767272702e353100" +                  // IFLA_IFNAME "vrrp.51"
            "0800" + "0500" + "02000000" +                          // IFLA_LINK 2
            "0a00" + "0100" + "00005e000133" + "0000" +             // IFLA_ADDRESS 00:00:5e:00:01:33
            "1c00" + "1280" +                                       // IFLA_LINKINFO (nested)
            "0c00" + "0100" + "6d6163766c616e00" +                  //   IFLA_INFO_KIND "macvlan"
            "0c00" + "0280" +                                       //   IFLA_INFO_DATA (nested)
            "0800" + "0100" + "01000000",                           //     IFLA_MACVLAN_MODE private
            hex);
    }

    [Fact]
    public void SetUp_ChangesOnlyIffUp_GoldenBytes()
    {
        Assert.Equal(
            "20000000" + "1000" + "0500" + "07000000" + "00000000" + "00" + "00" + "0000" + "05000000" + "01000000" + "01000000",
            Encode(RouteNetlink.RTM_NEWLINK, 0x5, (ref NetlinkMessageWriter w) => LinkMessages.WriteSetUpRequest(ref w, 5, up: true)));
        Assert.Equal(
            "20000000" + "1000" + "0500" + "07000000" + "00000000" + "00" + "00" + "0000" + "05000000" + "00000000" + "01000000",
            Encode(RouteNetlink.RTM_NEWLINK, 0x5, (ref NetlinkMessageWriter w) => LinkMessages.WriteSetUpRequest(ref w, 5, up: false)));
    }

    [Fact]
    public void DeleteLink_ByIndex_GoldenBytes()
    {
        Assert.Equal(
            "20000000" + "1100" + "0500" + "07000000" + "00000000" + "00" + "00" + "0000" + "05000000" + "00000000" + "00000000",
            Encode(RouteNetlink.RTM_DELLINK, 0x5, (ref NetlinkMessageWriter w) => LinkMessages.WriteDeleteRequest(ref w, 5)));
    }

    [Fact]
    public void ReadLink_MacvlanDumpEntry_KindAndLowerDevice()
    {
        var payload = Convert.FromHexString(
            "00000100" + "05000000" + "43100100" + "00000000" +
            "0c000300" + "767272702e353100" + "08000500" + "02000000" + "0a000100" + "00005e0001330000" +
            "1c001200" + "0c000100" + "6d6163766c616e00" + "0c000200" + "08000100" + "01000000" + // IFLA_LINKINFO: kind, data
            "08000400" + "dc050000");                                                       // IFLA_MTU 1500
        var link = RouteMessages.ReadLink(new NetlinkMessage(new NetlinkMessageHeader((uint)(16 + payload.Length), RouteNetlink.RTM_NEWLINK, 2, 1, 0), payload));

        Assert.Equal(("vrrp.51", 5, "macvlan", (int?)2), (link.Name, link.Index, link.Kind, link.LowerIndex));
        Assert.Equal("00:00:5e:00:01:33", LinkInfo.FormatMac(link.HardwareAddress));
    }

    [Fact]
    public void ReadLink_PlainDevice_NoKindNoLower()
    {
        var payload = Convert.FromHexString("00000100" + "04000000" + "00000000" + "00000000" + "09000300" + "6574683000000000");
        var link = RouteMessages.ReadLink(new NetlinkMessage(new NetlinkMessageHeader((uint)(16 + payload.Length), RouteNetlink.RTM_NEWLINK, 2, 1, 0), payload));

        Assert.Null(link.Kind);
        Assert.Null(link.LowerIndex);
    }

    [Theory]
    [InlineData(System.Net.Sockets.AddressFamily.InterNetwork, 1, "00:00:5e:00:01:01")]
    [InlineData(System.Net.Sockets.AddressFamily.InterNetwork, 255, "00:00:5e:00:01:ff")]
    [InlineData(System.Net.Sockets.AddressFamily.InterNetworkV6, 51, "00:00:5e:00:02:33")]
    public void VirtualMac_Rfc5798(System.Net.Sockets.AddressFamily family, int vrid, string expected) =>
        Assert.Equal(expected, LinkInfo.FormatMac(Topology.Model.VirtualMac.HardwareAddress(family, vrid)));
}
