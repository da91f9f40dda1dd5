using System.Net;
using Reconciler.Linux.Netlink;
using Reconciler.Linux.Route;
using Reconciler.Topology.Model;

namespace Reconciler.Linux.Tests.Route;

public sealed class RouteMessagesRoutesTests
{
    private static readonly KernelRoute Ipv4Route = new(
        RouteNetlink.AF_INET, Prefix("10.1.0.0/16"), 1000, RouteNetlink.RTPROT_RECONCILER, RouteNetlink.RT_SCOPE_UNIVERSE, RouteNetlink.RTN_UNICAST,
        0, IPAddress.Parse("10.0.0.254"), 2, null, 10);

    private static readonly KernelRule Ipv4Rule = new(
        RouteNetlink.AF_INET, Prefix("10.1.0.0/16"), Prefix("10.2.0.0/24"), 100, RouteNetlink.FR_ACT_TO_TBL, 100, null, 5, 0xff, "d0", "d1",
        RouteNetlink.RTPROT_RECONCILER);

    [Fact]
    public void NewRoute_IPv4_TableAbove255_GoldenBytes()
    {
        Assert.Equal(
            "44000000" + "1800" + "0506" + "07000000" + "00000000" +   // nlmsghdr: 68 bytes, RTM_NEWROUTE, REQUEST|ACK|EXCL|CREATE, seq 7
            "02" + "10" + "00" + "00" + "00" + "52" + "00" + "01" + "00000000" + // rtmsg: AF_INET /16, table in RTA_TABLE, proto 82, universe, unicast
            "0800" + "0f00" + "e8030000" +                             // RTA_TABLE 1000
            "0800" + "0100" + "0a010000" +                             // RTA_DST 10.1.0.0
            "0800" + "0500" + "0a0000fe" +                             // RTA_GATEWAY 10.0.0.254
            "0800" + "0400" + "02000000" +                             // RTA_OIF 2
            "0800" + "0600" + "0a000000",                              // RTA_PRIORITY 10
            Encode(RouteNetlink.RTM_NEWROUTE, 0x605, (ref NetlinkMessageWriter w) => RouteMessages.WriteRouteRequest(ref w, Ipv4Route)));
    }

    [Fact]
    public void DelRoute_IPv6Default_OnLinkWithSource_GoldenBytes()
    {
        var route = new KernelRoute(
            RouteNetlink.AF_INET6, Prefix("::/0"), 254, 0, RouteNetlink.RT_SCOPE_NOWHERE, RouteNetlink.RTN_UNICAST, RouteNetlink.RTNH_F_ONLINK,
            IPAddress.Parse("2001:db8::fe"), 0, IPAddress.Parse("2001:db8::1"), null);
        Assert.Equal(
            "4c000000" + "1900" + "0500" + "07000000" + "00000000" +
            "0a" + "00" + "00" + "00" + "fe" + "00" + "ff" + "01" + "04000000" + // AF_INET6 /0, main, any protocol, scope nowhere, RTNH_F_ONLINK
            "0800" + "0f00" + "fe000000" +                             // RTA_TABLE 254 (no RTA_DST for a /0)
            "1400" + "0500" + "20010db80000000000000000000000fe" +     // RTA_GATEWAY
            "1400" + "0700" + "20010db8000000000000000000000001",      // RTA_PREFSRC
            Encode(RouteNetlink.RTM_DELROUTE, 0x5, (ref NetlinkMessageWriter w) => RouteMessages.WriteRouteRequest(ref w, route)));
    }

    [Fact]
    public void NewRule_EverySelector_GoldenBytes()
    {
        Assert.Equal(
            "64000000" + "2000" + "0506" + "07000000" + "00000000" +
            "02" + "18" + "10" + "00" + "64" + "00" + "00" + "01" + "00000000" + // fib_rule_hdr: AF_INET, dst /24, src /16, table 100, FR_ACT_TO_TBL
            "0800" + "0100" + "0a020000" +                             // FRA_DST
            "0800" + "0200" + "0a010000" +                             // FRA_SRC
            "0800" + "0600" + "64000000" +                             // FRA_PRIORITY 100
            "0800" + "0f00" + "64000000" +                             // FRA_TABLE 100
            "0800" + "0a00" + "05000000" +                             // FRA_FWMARK 5
            "0800" + "1000" + "ff000000" +                             // FRA_FWMASK 0xff
            "0700" + "0300" + "643000" + "00" +                        // FRA_IIFNAME d0
            "0700" + "1100" + "643100" + "00" +                        // FRA_OIFNAME d1
            "0500" + "1500" + "52" + "000000",                         // FRA_PROTOCOL 82
            Encode(RouteNetlink.RTM_NEWRULE, 0x605, (ref NetlinkMessageWriter w) => RouteMessages.WriteRuleRequest(ref w, Ipv4Rule)));
    }

    [Fact]
    public void NewRule_GotoWithoutSelectors_GoldenBytes()
    {
        var rule = new KernelRule(RouteNetlink.AF_INET6, null, null, 90, RouteNetlink.FR_ACT_GOTO, 0, 100, null, null, null, null, 0);
        Assert.Equal(
            "2c000000" + "2000" + "0506" + "07000000" + "00000000" +
            "0a" + "00" + "00" + "00" + "00" + "00" + "00" + "02" + "00000000" +
            "0800" + "0600" + "5a000000" +                             // FRA_PRIORITY 90
            "0800" + "0400" + "64000000",                              // FRA_GOTO 100
            Encode(RouteNetlink.RTM_NEWRULE, 0x605, (ref NetlinkMessageWriter w) => RouteMessages.WriteRuleRequest(ref w, rule)));
    }

    [Fact]
    public void ReadRoute_KernelDumpEntry_IPv6_SkipsUnknownAttributes()
    {
        var payload = Convert.FromHexString(
            "0a400000" + "fe520001" + "00000000" +
            "08000f00" + "fe000000" +
            "14000100" + "20010db8000100000000000000000000" +
            "08000600" + "00040000" +
            "08000400" + "03000000" +
            "14000500" + "20010db8000000000000000000000001" +
            "05001400" + "00000000");                                  // RTA_PREF: not read
        Assert.True(RouteMessages.TryReadRoute(Message(RouteNetlink.RTM_NEWROUTE, payload), out var route));
        Assert.Equal(
            new KernelRoute(RouteNetlink.AF_INET6, Prefix("2001:db8:1::/64"), 254, 82, 0, RouteNetlink.RTN_UNICAST, 0, IPAddress.Parse("2001:db8::1"), 3, null, 1024),
            route);
    }

    [Fact]
    public void ReadRoute_IPv4DefaultWithoutAttributes_IsTheDefaultRoute()
    {
        var payload = Convert.FromHexString("02000000" + "fe03fd01" + "00000000" + "08000400" + "02000000");
        Assert.True(RouteMessages.TryReadRoute(Message(RouteNetlink.RTM_NEWROUTE, payload), out var route));
        Assert.Equal(Prefix("0.0.0.0/0"), route!.Destination);
        Assert.Equal(RouteNetlink.RT_SCOPE_LINK, route.Scope);
        Assert.Null(route.Priority);
        Assert.Null(route.Gateway);
    }

    [Fact]
    public void ReadRoute_ClonedOrMultipath_IsSkipped()
    {
        var cloned = Convert.FromHexString("0a800000" + "fe020001" + "00020000");
        Assert.False(RouteMessages.TryReadRoute(Message(RouteNetlink.RTM_NEWROUTE, cloned), out _));
        var multipath = Convert.FromHexString("02100000" + "fe040001" + "00000000" + "04000900");
        Assert.False(RouteMessages.TryReadRoute(Message(RouteNetlink.RTM_NEWROUTE, multipath), out _));
    }

    [Fact]
    public void ReadRoute_MirrorsWriteRoute()
    {
        Assert.True(RouteMessages.TryReadRoute(RequestAsMessage((ref NetlinkMessageWriter w) => RouteMessages.WriteRouteRequest(ref w, Ipv4Route)), out var route));
        Assert.Equal(Ipv4Route, route);
    }

    [Fact]
    public void ReadRule_MirrorsWriteRule()
    {
        Assert.True(RouteMessages.TryReadRule(RequestAsMessage((ref NetlinkMessageWriter w) => RouteMessages.WriteRuleRequest(ref w, Ipv4Rule)), out var rule));
        Assert.Equal(Ipv4Rule, rule);
    }

    [Fact]
    public void ReadRule_KernelDumpEntry_MainTableRule()
    {
        // "32766: from all lookup main": no FRA_PROTOCOL before 4.17, FRA_TABLE always.
        var payload = Convert.FromHexString("02000000" + "fe000001" + "00000000" + "08000f00" + "fe000000" + "08000600" + "fe7f0000");
        Assert.True(RouteMessages.TryReadRule(Message(RouteNetlink.RTM_NEWRULE, payload), out var rule));
        Assert.Equal(new KernelRule(RouteNetlink.AF_INET, null, null, 32766, RouteNetlink.FR_ACT_TO_TBL, 254, null, null, null, null, null, 0), rule);
    }

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

    private static NetlinkMessage RequestAsMessage(Body body)
    {
        var bytes = Convert.FromHexString(Encode(RouteNetlink.RTM_NEWROUTE, 0, body));
        return Message(RouteNetlink.RTM_NEWROUTE, bytes.AsSpan(16).ToArray());
    }

    private static NetlinkMessage Message(ushort type, byte[] payload) => new(new NetlinkMessageHeader((uint)(16 + payload.Length), type, 2, 1, 0), payload);

    private static InterfaceAddress Prefix(string text) => InterfaceAddress.TryParse(text, out var prefix) ? prefix : throw new ArgumentException(text);
}
