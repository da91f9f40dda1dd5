using Reconciler.GitSource.Diff;
using static Reconciler.GitSource.Tests.Diff.DiffFixtures;

namespace Reconciler.GitSource.Tests.Diff;

/// <summary>Routes, rules and static addresses added, changed or removed show under their instance or node in the
/// topology's changes, and in each node's desired state as what it holds (its own, or while MASTER of an instance).</summary>
public sealed class NetworkDiffTests
{
    private const string Gateway = Samples.Nodes + """
        vrrpInstances:
          - name: VI_GW
            interface: eno16777736
            virtualRouterId: 51
            priorities: {lb1: 100, lb2: 80}
            virtualAddresses: [192.168.1.120]
            virtualRoutes:
              - {to: 10.1.0.0/16, via: 192.168.1.1}

        """;

    [Fact]
    public void RenderText_RoutesRulesAndAddressesAdded_Golden()
    {
        var after = Edit(
            Gateway,
            ("      - {to: 10.1.0.0/16, via: 192.168.1.1}\n", "      - {to: 10.1.0.0/16, via: 192.168.1.1}\n      - {to: default, via: 192.168.1.1, table: 100}\n    virtualRules:\n      - {from: 192.168.1.0/24, priority: 100, table: 100}\n"),
            ("    interfaces: [eno16777736]\n  - name: lb2", "    interfaces: [eno16777736]\n    network:\n      addresses: [{interface: eno16777736, address: 10.0.0.5/24}]\n      routes: [{to: 10.9.0.0/16, type: blackhole}]\n  - name: lb2"));

        var diff = DiffOf(Gateway, after);

        Assert.Equal(
            """"
            Topology diff 1111111aaaaa -> 2222222bbbbb
            2222222bbbbb is valid.

            lb1: 4 to add, 0 to change, 0 to destroy
            lb2: 2 to add, 0 to change, 0 to destroy

            Topology: 4 added, 0 changed, 0 removed
            ~ node lb1
            +   address 10.0.0.5/24 dev eno16777736
            +   route blackhole 10.9.0.0/16
            ~ vrrp instance VI_GW
            +   route default via 192.168.1.1 table 100
            +   rule from 192.168.1.0/24 pref 100 lookup 100

            Node lb1 (desired state, without runtime health or VRRP role): 4 to add, 0 to change, 0 to destroy
            + address 10.0.0.5/24 dev eno16777736 (static)
            + route blackhole 10.9.0.0/16 (static)
            + route default via 192.168.1.1 table 100 (while MASTER of VI_GW)
            + rule from 192.168.1.0/24 pref 100 lookup 100 (while MASTER of VI_GW)

            Node lb2 (desired state, without runtime health or VRRP role): 2 to add, 0 to change, 0 to destroy
            + route default via 192.168.1.1 table 100 (while MASTER of VI_GW)
            + rule from 192.168.1.0/24 pref 100 lookup 100 (while MASTER of VI_GW)
            """" + "\n",
            TopologyDiffRenderer.RenderText(diff));
    }

    [Fact]
    public void Compare_RouteGatewayChanged_IsAChangeOfTheRouteByItsKey()
    {
        var diff = DiffOf(Gateway, Edit(Gateway, ("via: 192.168.1.1}", "via: 192.168.1.2, onLink: true}")));

        var entry = Assert.Single(diff.Entries);
        var route = Assert.Single(entry.Children);
        Assert.Equal(("route", "10.1.0.0/16", DiffAction.Changed), (route.Kind, route.Name, route.Action));
        Assert.Equal(["onLink: false -> true", "via: 192.168.1.1 -> 192.168.1.2"], route.Changes.Select(c => c.ToString()));
    }

    [Fact]
    public void Compare_RouteRemoved_IsNamedInFullUnderItsInstanceAndOnEachNode()
    {
        var diff = DiffOf(Gateway, Edit(Gateway, ("    virtualRoutes:\n      - {to: 10.1.0.0/16, via: 192.168.1.1}\n", "")));

        var route = Assert.Single(Assert.Single(diff.Entries).Children);
        Assert.Equal(("route", "10.1.0.0/16 via 192.168.1.1", DiffAction.Removed), (route.Kind, route.Name, route.Action));
        Assert.All(diff.Nodes, node => Assert.Equal("0 to add, 0 to change, 1 to destroy", ChangeCounts.Of(node).ToString()));
    }
}
