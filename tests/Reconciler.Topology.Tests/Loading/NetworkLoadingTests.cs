using System.Net;
using Reconciler.Topology.Model;
using Reconciler.Topology.Yaml;

namespace Reconciler.Topology.Tests.Loading;

/// <summary>A VRRP instance's <c>virtualRoutes</c> / <c>virtualRules</c> and a node's <c>network</c>: their shape
/// (schema), binding, and the writer's canonical form.</summary>
public sealed class NetworkLoadingTests
{
    private static InterfaceAddress Prefix(string text) => InterfaceAddress.TryParse(text, out var prefix) ? prefix : throw new FormatException(text);

    private static IPAddress Ip(string text) => IPAddress.Parse(text);

    private static string[] Load(string oldText, string newText)
    {
        Assert.Contains(oldText, Samples.NetworkYaml, StringComparison.Ordinal);
        return LoaderHelpers.Load(Samples.NetworkYaml.Replace(oldText, newText, StringComparison.Ordinal)).Lines();
    }

    [Fact]
    public void LoadDocuments_NetworkSample_BindsEveryFieldWithoutFindings()
    {
        var result = LoaderHelpers.Load(Samples.NetworkYaml);

        Assert.Empty(result.Lines());
        var instance = Assert.Single(result.Topology!.VrrpInstances);
        Assert.Equal(
            [
                new IpRoute(Prefix("0.0.0.0/0"), RouteType.Unicast, Ip("192.168.1.1"), "eth1", null, 100, null, null, false),
                new IpRoute(Prefix("10.1.0.0/16"), RouteType.Unicast, Ip("192.168.1.1"), null, Ip("192.168.1.120"), null, 5, null, false, Track: false),
                new IpRoute(Prefix("::/0"), RouteType.Unicast, Ip("fe80::1"), "eth1", null, null, null, null, false),
                new IpRoute(Prefix("10.3.0.0/16"), RouteType.Unicast, Ip("10.9.9.1"), "eth1", null, null, null, RouteScope.Link, true),
            ],
            instance.VirtualRoutes);
        Assert.Equal(
            [
                new IpRule(Prefix("192.168.1.0/24"), Prefix("10.2.0.0/16"), 100, RuleAction.Table, 100, null, null, null, null, null),
                new IpRule(null, null, 200, RuleAction.Goto, null, 300, 0x10, 0xff, "eth0", "eth1", Track: false),
                new IpRule(Prefix("2001:db8::/32"), null, null, RuleAction.Prohibit, null, null, null, null, null, null),
            ],
            instance.VirtualRules);
        Assert.Equal(
            new NodeNetwork(
                [new StaticAddress("eth0", Prefix("10.0.0.5/24"), "eth0:1")],
                [
                    new IpRoute(Prefix("10.9.0.0/16"), RouteType.Unicast, Ip("192.168.1.254"), null, null, null, null, null, false),
                    new IpRoute(Prefix("198.51.100.0/24"), RouteType.Blackhole, null, null, null, null, 10, null, false),
                ],
                [new IpRule(Prefix("10.0.0.0/24"), null, 100, RuleAction.Table, 100, null, null, null, null, null)]),
            result.Topology.Nodes[0].Network);
        Assert.Equal(NodeNetwork.Empty, result.Topology.Nodes[1].Network);
    }

    [Fact]
    public void Write_NetworkSample_GivesTheSameText() =>
        Assert.Equal(Samples.NetworkYaml, TopologyYamlWriter.Write(LoaderHelpers.Load(Samples.NetworkYaml).Topology!));

    [Fact]
    public void Write_Ipv6DefaultWithoutIpv6GatewayOrSource_IsWrittenAsItsPrefix()
    {
        var topology = LoaderHelpers.Load(Samples.NetworkYaml).Topology!;
        var blackhole = new IpRoute(Prefix("::/0"), RouteType.Blackhole, null, null, null, 7, null, null, false);
        var changed = topology with { Nodes = [topology.Nodes[0] with { Network = topology.Nodes[0].Network with { Routes = [blackhole] } }, topology.Nodes[1]] };

        var text = TopologyYamlWriter.Write(changed);

        Assert.Contains("- {to: \"::/0\", type: blackhole, table: 7}", text, StringComparison.Ordinal);
        Assert.Equal(changed, LoaderHelpers.Load(text).Topology);
    }

    [Fact]
    public void LoadDocuments_DestinationWithHostBits_IsALocatedErrorThatSuggestsTheNetwork() => Assert.Equal(
        ["topology.yaml:9:16: error: nodes[0].network.routes[0].to: '10.9.0.1/16' has bits set past its prefix length; did you mean 10.9.0.0/16?"],
        Load("{to: 10.9.0.0/16,", "{to: 10.9.0.1/16,"));

    [Fact]
    public void LoadDocuments_DestinationNotAPrefix_IsALocatedError() => Assert.Equal(
        ["topology.yaml:24:14: error: vrrpInstances[0].virtualRoutes[1].to: '10.1/16' is not an address or ADDRESS/PREFIX-LENGTH or default (examples: 10.1.0.0/16, 192.168.1.1, 2001:db8::/32)"],
        Load("{to: 10.1.0.0/16,", "{to: 10.1/16,"));

    [Fact]
    public void LoadDocuments_UnknownRouteType_IsALocatedSchemaError() => Assert.Equal(
        ["topology.yaml:10:39: error: nodes[0].network.routes[1].type: 'drop' is not one of unicast, blackhole, unreachable, prohibit, throw"],
        Load("type: blackhole", "type: drop"));

    [Fact]
    public void LoadDocuments_UnknownRouteKey_IsALocatedSchemaError() => Assert.Equal(
        ["topology.yaml:9:29: error: nodes[0].network.routes[0].gw: unknown property 'gw' (expected to, type, via, dev, src, table, metric, scope, onLink, track)"],
        Load("{to: 10.9.0.0/16, via: 192.168.1.254}", "{to: 10.9.0.0/16, gw: 192.168.1.254}"));

    [Fact]
    public void LoadDocuments_RuleSelectorWithHostBits_IsALocatedError() => Assert.Equal(
        ["topology.yaml:12:18: error: nodes[0].network.rules[0].from: '10.0.0.1/24' has bits set past its prefix length; did you mean 10.0.0.0/24?"],
        Load("{from: 10.0.0.0/24,", "{from: 10.0.0.1/24,"));
}
