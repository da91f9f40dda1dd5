using System.Buffers.Binary;
using System.Net;
using Reconciler.Linux.Netlink;
using Reconciler.Linux.Route;
using Reconciler.Topology.Model;

namespace Reconciler.Linux.Tests.Route;

public sealed class RouteMessagesTests
{
    private static string Encode(ushort type, ushort flags, Action<byte[]>? _ = null, InterfaceAddress? address = null, uint addressFlags = 0, bool includeFlags = false)
    {
        var buffer = new byte[256];
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(type, flags, 7, 0);
        RouteMessages.WriteAddressRequest(ref writer, 2, address!, addressFlags, includeFlags);
        int length = writer.EndMessage();
        return Convert.ToHexString(buffer, 0, length).ToLowerInvariant();
    }

    [Fact]
    public void NewAddress_IPv4_GoldenBytes()
    {
        InterfaceAddress.TryParse("10.0.0.50/24", out var address);
        var hex = Encode(RouteNetlink.RTM_NEWADDR, 0x605, address: address);
        Assert.Equal(
            "28000000" + "1400" + "0506" + "07000000" + "00000000" + // nlmsghdr: 40 bytes, RTM_NEWADDR, REQUEST|ACK|EXCL|CREATE, seq 7
            "02" + "18" + "00" + "00" + "02000000" +                 // ifaddrmsg: AF_INET /24, flags 0, scope universe, ifindex 2
            "0800" + "0200" + "0a000032" +                           // IFA_LOCAL 10.0.0.50
            "0800" + "0100" + "0a000032",                            // IFA_ADDRESS 10.0.0.50
            hex);
    }

    [Fact]
    public void NewAddress_IPv6_NoDad_GoldenBytes()
    {
        InterfaceAddress.TryParse("2001:db8::50/64", out var address);
        var hex = Encode(RouteNetlink.RTM_NEWADDR, 0x605, address: address, addressFlags: RouteNetlink.IFA_F_NODAD, includeFlags: true);
        Assert.Equal(
            "48000000" + "1400" + "0506" + "07000000" + "00000000" +
            "0a" + "40" + "02" + "00" + "02000000" +                 // AF_INET6 /64, IFA_F_NODAD, scope universe, ifindex 2
            "1400" + "0200" + "20010db8000000000000000000000050" +
            "1400" + "0100" + "20010db8000000000000000000000050" +
            "0800" + "0800" + "02000000",                            // IFA_FLAGS NODAD
            hex);
    }

    [Fact]
    public void DelAddress_Loopback_HasHostScope()
    {
        InterfaceAddress.TryParse("127.0.0.2/8", out var address);
        var hex = Encode(RouteNetlink.RTM_DELADDR, 0x5, address: address);
        Assert.Equal("28000000" + "1500" + "0500" + "07000000" + "00000000" + "02" + "08" + "00" + "fe" + "02000000" +
            "0800" + "0200" + "7f000002" + "0800" + "0100" + "7f000002", hex);
    }

    [Fact]
    public void LinkRequest_ByName_GoldenBytes()
    {
        var buffer = new byte[128];
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(RouteNetlink.RTM_GETLINK, 0x5, 1, 0);
        RouteMessages.WriteLinkRequest(ref writer, 0, "eth0");
        int length = writer.EndMessage();
        Assert.Equal("2c000000" + "1200" + "0500" + "01000000" + "00000000" + "00000000" + "00000000" + "00000000" + "00000000" +
            "0900" + "0300" + "6574683000" + "000000", Convert.ToHexString(buffer, 0, length).ToLowerInvariant());
    }

    [Fact]
    public void ReadAddress_KernelDumpEntry_IPv4()
    {
        // As the kernel dumps it: ifaddrmsg, IFA_ADDRESS, IFA_LOCAL, IFA_BROADCAST, IFA_LABEL, IFA_FLAGS, IFA_CACHEINFO.
        var payload = Convert.FromHexString(
            "02188000" + "03000000" +
            "08000100" + "0a4d0001" + "08000200" + "0a4d0001" + "08000400" + "0a4d00ff" +
            "09000300" + "6574683000000000" + "08000800" + "80000000" +
            "14000600" + "ffffffffffffffff" + "0000000000000000");
        Assert.True(RouteMessages.TryReadAddress(new NetlinkMessage(Header(RouteNetlink.RTM_NEWADDR, payload.Length), payload), out var address));
        Assert.Equal(new LinkAddress(3, new InterfaceAddress(IPAddress.Parse("10.77.0.1"), 24), 0, RouteNetlink.IFA_F_PERMANENT, "eth0"), address);
    }

    [Fact]
    public void ReadAddress_IPv6_OnlyIfaAddress()
    {
        var payload = Convert.FromHexString("0a4080fd" + "05000000" + "14000100" + "fe800000000000000000000000000001" + "08000800" + "80000000");
        Assert.True(RouteMessages.TryReadAddress(new NetlinkMessage(Header(RouteNetlink.RTM_NEWADDR, payload.Length), payload), out var address));
        Assert.Equal(IPAddress.Parse("fe80::1"), address!.Address.Address);
        Assert.Equal(64, address.Address.PrefixLength);
        Assert.Equal(RouteNetlink.RT_SCOPE_LINK, address.Scope);
        Assert.False(address.IsSecondary);
    }

    [Fact]
    public void ReadLink_FlagsCarrierMac()
    {
        var payload = Convert.FromHexString(
            "00000100" + "04000000" + BinaryHex(RouteNetlink.IFF_UP | RouteNetlink.IFF_RUNNING | RouteNetlink.IFF_LOWER_UP) + "00000000" +
            "09000300" + "6574683000000000" + "0a000100" + "020000770001" + "0000" + "05002100" + "01000000" + "05001000" + "06000000" +
            "08000400" + "dc050000");
        var link = RouteMessages.ReadLink(new NetlinkMessage(Header(RouteNetlink.RTM_NEWLINK, payload.Length), payload));
        Assert.Equal(4, link.Index);
        Assert.Equal("eth0", link.Name);
        Assert.True(link.IsUsable);
        Assert.True(link.HasCarrier);
        Assert.Equal(6, link.OperationalState);
        Assert.Equal("02:00:00:77:00:01", LinkInfo.FormatMac(link.HardwareAddress));
    }

    [Fact]
    public void LinkInfo_NoCarrierAttribute_FallsBackToLowerUp()
    {
        Assert.False(new LinkInfo(1, "x", RouteNetlink.IFF_UP, null, [], 0).HasCarrier);
        Assert.True(new LinkInfo(1, "x", RouteNetlink.IFF_UP | RouteNetlink.IFF_LOWER_UP, null, [], 0).HasCarrier);
        Assert.False(new LinkInfo(1, "x", RouteNetlink.IFF_UP, false, [], 0).IsUsable);
    }

    private static NetlinkMessageHeader Header(ushort type, int payloadLength) => new((uint)(16 + payloadLength), type, 2, 1, 0);

    private static string BinaryHex(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return Convert.ToHexString(bytes);
    }
}
