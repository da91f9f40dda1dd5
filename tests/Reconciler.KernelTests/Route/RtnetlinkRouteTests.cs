using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Reconciler.KernelTests.Infrastructure;
using Reconciler.Linux.Route;
using Reconciler.Topology.Model;

namespace Reconciler.KernelTests.Route;

/// <summary>rtnetlink routes and policy rules against the kernel, cross-checked with <c>ip -j route</c> / <c>ip -j rule</c>.</summary>
public sealed class RtnetlinkRouteTests
{
    private const uint Table = 1000;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Routes_AddDumpReplaceDelete_TableAbove255_MatchIp(bool ipv6)
    {
        using var space = LabNamespace.Create();
        using var client = RtnetlinkClient.Open(space.Path);
        int d0 = client.GetInterfaceIndex("d0");
        byte family = ipv6 ? RouteNetlink.AF_INET6 : RouteNetlink.AF_INET;
        var viaGateway = new KernelRoute(family, Prefix(ipv6 ? "2001:db8:10::/48" : "10.10.0.0/16"), Table, RouteNetlink.RTPROT_RECONCILER,
            RouteNetlink.RT_SCOPE_UNIVERSE, RouteNetlink.RTN_UNICAST, 0, Address(ipv6 ? "2001:db8::fe" : "10.0.0.254"), d0, Address(ipv6 ? "2001:db8::1" : "10.0.0.1"), 10);
        var onLink = new KernelRoute(family, Prefix(ipv6 ? "2001:db8:20::/48" : "10.20.0.0/16"), Table, RouteNetlink.RTPROT_RECONCILER,
            RouteNetlink.RT_SCOPE_UNIVERSE, RouteNetlink.RTN_UNICAST, RouteNetlink.RTNH_F_ONLINK, Address(ipv6 ? "2001:db8:99::1" : "192.0.2.1"), d0, null, 20);
        var blackhole = new KernelRoute(family, Prefix(ipv6 ? "2001:db8:30::/48" : "10.30.0.0/16"), Table, RouteNetlink.RTPROT_RECONCILER,
            RouteNetlink.RT_SCOPE_UNIVERSE, RouteNetlink.RTN_BLACKHOLE, 0, null, 0, null, 30);

        foreach (var route in new[] { viaGateway, onLink, blackhole })
        {
            Assert.True(client.AddRoute(route), $"add {route}");
            Assert.False(client.AddRoute(route), "adding again is not an error");
        }

        var ours = OurRoutes(client, family);
        Assert.Equal(3, ours.Count);
        var ip = IpJson(space, ipv6 ? "-6" : "-4", "route", "show", "table", Table.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(3, ip.Count);
        foreach (var route in ours)
        {
            var shown = Assert.Single(ip, e => Dst(e) == route.Destination.ToString());
            Assert.Equal(route.Gateway?.ToString(), Text(shown, "gateway"));
            if (route.Type == RouteNetlink.RTN_UNICAST)
            {
                // An IPv6 blackhole route is bound to lo by the kernel, which ip does not print.
                Assert.Equal("d0", Text(shown, "dev"));
            }
            Assert.Equal(route.PreferredSource?.ToString(), Text(shown, "prefsrc"));
            Assert.Equal(route.Priority?.ToString(System.Globalization.CultureInfo.InvariantCulture), Text(shown, "metric"));
            Assert.Equal("82", Text(shown, "protocol"));
            Assert.Equal(route.Type == RouteNetlink.RTN_BLACKHOLE ? "blackhole" : null, Text(shown, "type"));
            Assert.Equal(route.OnLink, shown.TryGetProperty("flags", out var flags) && flags.EnumerateArray().Any(f => f.GetString() == "onlink"));
        }

        Assert.Equal(viaGateway with { OutputInterface = d0 }, ours.Single(r => r.Destination == viaGateway.Destination) with { Scope = viaGateway.Scope });
        Assert.Equal(onLink, ours.Single(r => r.Destination == onLink.Destination) with { Scope = onLink.Scope });

        // Replace in place: the gateway changes, the key (table, destination, metric) stays.
        var moved = viaGateway with { Gateway = Address(ipv6 ? "2001:db8::fd" : "10.0.0.253") };
        Assert.True(client.AddRoute(moved, replace: true));
        Assert.Equal(moved.Gateway, Assert.Single(OurRoutes(client, family), r => r.Destination == moved.Destination).Gateway);

        // A delete of another protocol's route with the same key finds nothing: ours are told from others' by protocol.
        space.Ip(ipv6 ? "-6" : "-4", "route", "add", ipv6 ? "2001:db8:40::/48" : "10.40.0.0/16", "dev", "d0", "table", "1000", "metric", "40");
        var theirs = Assert.Single(client.GetRoutes(ipv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork), r => r.Table == Table && r.Priority == 40);
        Assert.NotEqual(RouteNetlink.RTPROT_RECONCILER, theirs.Protocol);
        Assert.False(client.DeleteRoute(theirs with { Protocol = RouteNetlink.RTPROT_RECONCILER, Scope = RouteNetlink.RT_SCOPE_NOWHERE }));

        foreach (var route in new[] { moved, onLink, blackhole })
        {
            Assert.True(client.DeleteRoute(route with { Scope = RouteNetlink.RT_SCOPE_NOWHERE }), $"delete {route}");
            Assert.False(client.DeleteRoute(route with { Scope = RouteNetlink.RT_SCOPE_NOWHERE }), "deleting again is not an error");
        }

        Assert.Empty(OurRoutes(client, family));
        Assert.Single(IpJson(space, ipv6 ? "-6" : "-4", "route", "show", "table", "1000"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Rules_EachSelectorAndAction_MatchIp(bool ipv6)
    {
        using var space = LabNamespace.Create();
        using var client = RtnetlinkClient.Open(space.Path);
        byte family = ipv6 ? RouteNetlink.AF_INET6 : RouteNetlink.AF_INET;
        byte ours = RouteNetlink.RTPROT_RECONCILER;
        KernelRule[] rules =
        [
            new(family, Prefix(ipv6 ? "2001:db8:1::/48" : "10.1.0.0/16"), null, 100, RouteNetlink.FR_ACT_TO_TBL, Table, null, null, null, null, null, ours),
            new(family, null, Prefix(ipv6 ? "2001:db8:2::/64" : "10.2.0.0/24"), 101, RouteNetlink.FR_ACT_TO_TBL, 100, null, null, null, null, null, ours),
            new(family, null, null, 102, RouteNetlink.FR_ACT_TO_TBL, Table, null, 5, 0xff, null, null, ours),
            new(family, null, null, 103, RouteNetlink.FR_ACT_TO_TBL, Table, null, null, null, "d0", null, ours),
            new(family, null, null, 104, RouteNetlink.FR_ACT_TO_TBL, Table, null, null, null, null, "d0", ours),
            new(family, null, null, 105, RouteNetlink.FR_ACT_GOTO, 0, 110, 7, null, null, null, ours),
            new(family, Prefix(ipv6 ? "2001:db8:3::/48" : "10.3.0.0/16"), null, 106, RouteNetlink.FR_ACT_BLACKHOLE, 0, null, null, null, null, null, ours),
            new(family, Prefix(ipv6 ? "2001:db8:4::/48" : "10.4.0.0/16"), null, 107, RouteNetlink.FR_ACT_UNREACHABLE, 0, null, null, null, null, null, ours),
            new(family, Prefix(ipv6 ? "2001:db8:5::/48" : "10.5.0.0/16"), null, 108, RouteNetlink.FR_ACT_PROHIBIT, 0, null, null, null, null, null, ours),
            new(family, null, null, 110, RouteNetlink.FR_ACT_NOP, 0, null, null, null, null, null, ours),
        ];
        foreach (var rule in rules)
        {
            Assert.True(client.AddRule(rule), $"add {rule}");
            Assert.False(client.AddRule(rule), "adding again is not an error");
        }

        var dumped = client.GetRules(ipv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork).Where(r => r.Protocol == ours).ToList();
        Assert.Equal(rules.Length, dumped.Count);
        var ip = IpJson(space, ipv6 ? "-6" : "-4", "rule", "show");
        foreach (var rule in rules)
        {
            // The kernel reports the mask of every marked rule (all bits when none was given).
            var read = Assert.Single(dumped, r => r.Priority == rule.Priority);
            Assert.Equal(rule with { Mask = rule.Mark is null ? null : rule.Mask ?? 0xffffffff }, read);
            var shown = Assert.Single(ip, e => e.GetProperty("priority").GetUInt32() == rule.Priority);
            Assert.Equal(rule.Source?.Address.ToString() ?? "all", Text(shown, "src"));
            Assert.Equal(rule.Destination?.Address.ToString(), Text(shown, "dst"));
            Assert.Equal(rule.Action == RouteNetlink.FR_ACT_TO_TBL ? rule.Table.ToString(System.Globalization.CultureInfo.InvariantCulture) : null, Text(shown, "table"));
            Assert.Equal(rule.Mark is { } mark ? $"0x{mark:x}" : null, Text(shown, "fwmark"));
            Assert.Equal(rule.InputInterface, Text(shown, "iif"));
            Assert.Equal(rule.OutputInterface, Text(shown, "oif"));
            Assert.Equal(rule.Goto?.ToString(System.Globalization.CultureInfo.InvariantCulture), Text(shown, "goto"));
            Assert.Equal(rule.Action switch
            {
                RouteNetlink.FR_ACT_BLACKHOLE => "blackhole",
                RouteNetlink.FR_ACT_UNREACHABLE => "unreachable",
                RouteNetlink.FR_ACT_PROHIBIT => "prohibit",
                _ => null,
            }, Text(shown, "action"));
            Assert.Equal(rule.Action == RouteNetlink.FR_ACT_NOP, shown.TryGetProperty("nop", out _));
            Assert.Equal("82", Text(shown, "protocol"));
        }

        foreach (var rule in dumped)
        {
            Assert.True(client.DeleteRule(rule), $"delete {rule}");
            Assert.False(client.DeleteRule(rule), "deleting again is not an error");
        }

        Assert.DoesNotContain(client.GetRules(), r => r.Protocol == ours);
        Assert.DoesNotContain(IpJson(space, ipv6 ? "-6" : "-4", "rule", "show"), e => e.GetProperty("priority").GetUInt32() is >= 100 and <= 110);
    }

    private static List<KernelRoute> OurRoutes(RtnetlinkClient client, byte family) =>
        [.. client.GetRoutes(family == RouteNetlink.AF_INET6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork)
            .Where(r => r.Table == Table && r.Protocol == RouteNetlink.RTPROT_RECONCILER)];

    private static List<JsonElement> IpJson(LabNamespace space, params string[] arguments)
    {
        using var document = JsonDocument.Parse(space.Ip(["-j", .. arguments]));
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    /// <summary>ip prints a host route's destination without its length, a default route as "default".</summary>
    private static string Dst(JsonElement entry)
    {
        var dst = Text(entry, "dst")!;
        return dst.Contains('/', StringComparison.Ordinal) ? dst : dst + (dst.Contains(':', StringComparison.Ordinal) ? "/128" : "/32");
    }

    private static string? Text(JsonElement entry, string name) => entry.TryGetProperty(name, out var value)
        ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
        : null;

    private static InterfaceAddress Prefix(string text) => InterfaceAddress.TryParse(text, out var prefix) ? prefix : throw new ArgumentException(text);

    private static IPAddress Address(string text) => IPAddress.Parse(text);
}
