using System.Net;
using Reconciler.Keepalived.Import;
using Reconciler.Topology.Model;
using static Reconciler.Keepalived.Tests.Import.ImportHelper;

namespace Reconciler.Keepalived.Tests.Import;

/// <summary><c>virtual_routes</c>, <c>virtual_rules</c>, <c>static_routes</c>, <c>static_rules</c> and
/// <c>static_ipaddress</c> as keepalived 2.2.7 reads them (what it warns about, quoted, checked with
/// <c>keepalived -t</c>), and what has no place in the topology dropped, located, with why.</summary>
public sealed class RoutesImportTests
{
    private static InterfaceAddress Prefix(string text) => InterfaceAddress.TryParse(text, out var prefix) ? prefix : throw new FormatException(text);

    private static IPAddress Ip(string text) => IPAddress.Parse(text);

    private static string Routes(string block, string name = "virtual_routes") =>
        "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    virtual_ipaddress {\n        192.168.200.16/24\n    }\n    " + name + " {\n" + block + "\n    }\n}\n";

    private static string[] Lines(KeepalivedImportResult result, string code) =>
        result.Diagnostics.Where(d => d.Code == code).Select(d => d.ToString()).ToArray();

    [Fact]
    public void Import_ManPageVirtualRoutes_MapsEachRouteAsKeepalivedTakesIt()
    {
        var routes = TopologyOf(Routes("""
            src 192.168.200.16 to 192.168.109.0/24 via 192.168.200.254 dev eth1 scope link table 2 metric 5
            192.168.111.0/24 dev eth2 no_track
            blackhole 192.168.114.0/24
            0.0.0.0/0 gw 192.168.0.1 dev eth0 table 100
            default via 192.168.0.1 dev eth0 table main preference 7
            """)).VrrpInstances[0].VirtualRoutes;

        Assert.Equal(
            [
                new IpRoute(Prefix("192.168.109.0/24"), RouteType.Unicast, Ip("192.168.200.254"), "eth1", Ip("192.168.200.16"), 2, 5, RouteScope.Link, false),
                new IpRoute(Prefix("192.168.111.0/24"), RouteType.Unicast, null, "eth2", null, null, null, null, false, Track: false),
                new IpRoute(Prefix("192.168.114.0/24"), RouteType.Blackhole, null, null, null, null, null, null, false, Track: false),
                new IpRoute(Prefix("0.0.0.0/0"), RouteType.Unicast, Ip("192.168.0.1"), "eth0", null, 100, null, null, false),
                new IpRoute(Prefix("0.0.0.0/0"), RouteType.Unicast, Ip("192.168.0.1"), "eth0", null, IpRoute.MainTable, 7, null, false),
            ],
            routes);
    }

    [Fact]
    public void Import_VirtualRouteWithoutDev_IsNotTrackedAsInKeepalived()
    {
        var result = Run(Routes("        192.168.112.0/24 via 192.168.100.254"));

        Assert.False(Assert.Single(result.Topology!.VrrpInstances[0].VirtualRoutes).Track);
        Assert.Equal(
            ["k.conf:8:9: warning: vrrp_instance VI_1: route 192.168.112.0/24 has no dev, so keepalived does not track it (\"cannot track route ... with no interface specified\"); imported with track: false"],
            Lines(result, "route-not-tracked"));
    }

    [Theory]
    [InlineData("        192.168.113.0/24 via 192.168.200.254 or 192.168.100.254 dev eth1", "k.conf:8:9: warning: vrrp_instance VI_1: the route is dropped ('or' at column 46): multipath routes (nexthop, or) have no place in the topology")]
    [InlineData("        10.20.0.0/16 nexthop via 192.168.1.1 nexthop via 192.168.1.2", "k.conf:8:9: warning: vrrp_instance VI_1: the route is dropped ('nexthop' at column 22): multipath routes (nexthop, or) have no place in the topology")]
    [InlineData("        10.20.0.0/16 dev eth0 tos 0x04", "k.conf:8:9: warning: vrrp_instance VI_1: the route is dropped ('tos' at column 31): route option 'tos' has no place in the topology, and without it the route would take other packets or send them elsewhere")]
    [InlineData("        10.20.0.0/16 dev eth0 table foo", "k.conf:8:9: warning: vrrp_instance VI_1: the route or rule is dropped ('foo' at column 37): table 'foo' is a name from the node's /etc/iproute2/rt_tables, which the import does not read (write the table's number)")]
    [InlineData("        via 192.168.1.1 dev eth0", "k.conf:8:9: warning: vrrp_instance VI_1: the route is dropped: it has no destination (keepalived: \"Route must have a destination\")")]
    public void Import_RouteWithNoPlaceInTheTopology_IsDroppedWhole(string route, string expected)
    {
        var result = Run(Routes(route));

        Assert.Empty(result.Topology!.VrrpInstances[0].VirtualRoutes);
        Assert.Equal([expected], result.Diagnostics.Where(d => d.Code == "route-dropped").Select(d => d.ToString()));
        Assert.Contains(result.Report.Nodes[0].Statements, s => s.Location.Line == 8 && s.Outcome == ImportOutcome.Dropped);
    }

    [Fact]
    public void Import_RouteOptionThatOnlyTunes_IsDroppedAloneAndTheRouteKept()
    {
        var result = Run(Routes("        10.21.0.0/16 via 192.168.1.1 dev eth0 realms 3 mtu lock 1400 protocol bird"));

        Assert.Equal(new IpRoute(Prefix("10.21.0.0/16"), RouteType.Unicast, Ip("192.168.1.1"), "eth0", null, null, null, null, false), Assert.Single(result.Topology!.VrrpInstances[0].VirtualRoutes));
        Assert.Equal(
            [
                "k.conf:8:47: warning: 'realms' in vrrp_instance VI_1 is ignored (route option 'realms 3' has no place in the topology; the route is imported without it)",
                "k.conf:8:56: warning: 'mtu' in vrrp_instance VI_1 is ignored (route option 'mtu 1400' has no place in the topology; the route is imported without it)",
                "k.conf:8:70: warning: 'protocol' in vrrp_instance VI_1 is ignored (route option 'protocol bird' has no place in the topology; the route is imported without it)",
            ],
            Lines(result, "unsupported-keyword"));
    }

    [Fact]
    public void Import_DestinationWithHostBits_IsTheNetworkWithAWarning()
    {
        var result = Run(Routes("        10.22.0.1/16 via 192.168.1.1 dev eth0"));

        Assert.Equal(Prefix("10.22.0.0/16"), Assert.Single(result.Topology!.VrrpInstances[0].VirtualRoutes).Destination);
        Assert.Single(result.Diagnostics, d => d.Code == "prefix-adjusted");
    }

    [Fact]
    public void Import_VirtualRules_MapsSelectorsActionsAndNoTrack()
    {
        var rules = TopologyOf(Routes(
            """
            from 192.168.2.0/24 table 100 preference 100
            to 192.168.3.0/24 lookup 1 no_track priority 101
            fwmark 0x10/0xff iif eth0 oif eth1 goto 300 preference 102
            from all blackhole preference 103
            """,
            "virtual_rules")).VrrpInstances[0].VirtualRules;

        Assert.Equal(
            [
                new IpRule(Prefix("192.168.2.0/24"), null, 100, RuleAction.Table, 100, null, null, null, null, null),
                new IpRule(null, Prefix("192.168.3.0/24"), 101, RuleAction.Table, 1, null, null, null, null, null, Track: false),
                new IpRule(null, null, 102, RuleAction.Goto, null, 300, 0x10, 0xff, "eth0", "eth1"),
                new IpRule(null, null, 103, RuleAction.Blackhole, null, null, null, null, null, null),
            ],
            rules);
    }

    [Fact]
    public void Import_RuleWithoutPreference_GetsKeepalivedsNumberInFileOrder()
    {
        var result = Run("static_rules {\n    from 10.0.0.0/8 table 8\n}\n" + Routes("        from 192.168.2.0/24 table 1", "virtual_rules"));

        Assert.Equal(16384u, Assert.Single(result.Topology!.Nodes[0].Network.Rules).Priority);
        Assert.Equal(16383u, Assert.Single(result.Topology.VrrpInstances[0].VirtualRules).Priority);
        Assert.Equal(
            "k.conf:2:5: warning: static_rules: the rule has no preference; keepalived gives it 16384 (\"This is probably not what you want\"), and so does the import",
            Lines(result, "rule-priority")[0]);
    }

    [Theory]
    [InlineData("        from 192.168.2.0/24 table 1 pref 100", "k.conf:8:9: warning: vrrp_instance VI_1: the rule is dropped ('pref' at column 37): keepalived 2.2.7 does not know the rule option 'pref' (\"Unknown rule option\"; it takes preference or priority, not pref)")]
    [InlineData("        from 10.0.0.0/8 uidrange 1-2 table 3 preference 105", "k.conf:8:9: warning: vrrp_instance VI_1: the rule is dropped ('uidrange' at column 25): rule option 'uidrange' has no place in the topology, and without it the rule would match other packets or do otherwise")]
    [InlineData("        inet6 table 5 preference 106", "k.conf:8:9: warning: vrrp_instance VI_1: the rule is dropped: an IPv6 rule without from or to has no place in the topology (its rules without selectors are IPv4)")]
    public void Import_RuleWithNoPlaceInTheTopology_IsDroppedWhole(string rule, string expected)
    {
        var result = Run(Routes(rule, "virtual_rules"));

        Assert.Empty(result.Topology!.VrrpInstances[0].VirtualRules);
        Assert.Equal([expected], Lines(result, "rule-dropped"));
    }

    [Fact]
    public void Import_StaticSections_GoOntoTheNodeWithTheirInterfaces()
    {
        var topology = TopologyOf("""
            static_ipaddress {
                10.0.0.5/24 dev eth3 label eth3:1
                2001:db8:1::5/64 dev eth3 scope global
            }
            static_routes {
                10.9.0.0/16 via 192.168.200.254 dev eth4
                blackhole 198.51.100.0/24 metric 10 no_track
            }
            static_rules {
                from 192.168.2.0/24 table 100 preference 100
            }
            """ + MinimalInstance);

        var node = Assert.Single(topology.Nodes);
        Assert.Equal(
            new NodeNetwork(
                [new StaticAddress("eth3", Prefix("10.0.0.5/24"), "eth3:1"), new StaticAddress("eth3", Prefix("2001:db8:1::5/64"))],
                [
                    new IpRoute(Prefix("10.9.0.0/16"), RouteType.Unicast, Ip("192.168.200.254"), "eth4", null, null, null, null, false),
                    new IpRoute(Prefix("198.51.100.0/24"), RouteType.Blackhole, null, null, null, null, 10, null, false),
                ],
                [new IpRule(Prefix("192.168.2.0/24"), null, 100, RuleAction.Table, 100, null, null, null, null, null)]),
            node.Network);
        Assert.Equal(["eth0", "eth3", "eth4"], node.Interfaces);
    }

    [Fact]
    public void Import_StaticAddressWithoutDevOrWithPeer_FollowsKeepalived()
    {
        var result = Run("static_ipaddress {\n    10.0.0.6/24\n    10.0.0.7/32 peer 10.0.0.8 dev eth0\n}\n" + MinimalInstance);

        Assert.Equal([new StaticAddress("eth0", Prefix("10.0.0.6/24"))], result.Topology!.Nodes[0].Network.Addresses);
        Assert.Single(result.Diagnostics, d => d.Code == "address-device");
        Assert.Equal(["k.conf:3:5: warning: static_ipaddress: the address is dropped ('peer' at column 17): a point-to-point address has no place in the topology"], Lines(result, "address-dropped"));
    }

    [Fact]
    public void Import_NodesWithOtherVirtualRoutes_IsAContradiction()
    {
        var lb1 = Routes("        10.1.0.0/16 via 192.168.200.254 dev eth0");
        var lb2 = Routes("        10.1.0.0/16 via 192.168.200.253 dev eth0");

        var result = KeepalivedImporter.ImportText([new KeepalivedText("lb1", "lb1.conf", lb1), new KeepalivedText("lb2", "lb2.conf", lb2)]);

        Assert.Contains(result.Diagnostics, d => d.IsError && d.Message.Contains("virtualRoutes", StringComparison.Ordinal));
    }

    [Fact]
    public void Import_RoutesCorpusFile_ImportsWithoutErrors()
    {
        var result = KeepalivedImporter.ImportText(System.IO.File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "corpus", "keepalived", "routes.conf")), "routes.conf", "lb1");

        Assert.False(result.HasErrors, string.Join('\n', result.Diagnostics));
        Assert.Equal(5, result.Topology!.VrrpInstances[0].VirtualRoutes.Count);
        Assert.Equal(3, result.Topology.VrrpInstances[0].VirtualRules.Count);
        Assert.Equal(3, result.Topology.Nodes[0].Network.Routes.Count);
    }
}
