using System.Net;
using Reconciler.Keepalived.Import;
using Reconciler.Topology.Diagnostics;

namespace Reconciler.Keepalived.Tests.Import;

public sealed class MergeTests
{
    private static string Node(string state, int priority, string iface = "eth0", string extra = "", string service = "lb_algo rr") => $$"""
        global_defs {
            router_id {{state.ToLowerInvariant()}}
        }
        vrrp_script chk {
            script "/bin/check"
            weight -30
        }
        vrrp_instance VI_1 {
            state {{state}}
            interface {{iface}}
            virtual_router_id 51
            priority {{priority}}
            virtual_ipaddress {
                10.0.0.100
            }
            track_script {
                chk
            }
            {{extra}}
        }
        virtual_server 10.0.0.100 80 {
            {{service}}
            real_server 10.0.1.1 80 {
            }
        }
        """;

    private static KeepalivedImportResult Import(params (string? Name, string Text)[] nodes) =>
        KeepalivedImporter.ImportText(nodes.Select((n, i) => new KeepalivedText(n.Name, $"n{i + 1}.conf", n.Text)).ToList());

    [Fact]
    public void TwoNodes_PrioritiesAndSharedPartsMerge()
    {
        var result = Import(("lb1", Node("MASTER", 150)), ("lb2", Node("BACKUP", 100)));

        Assert.Empty(result.Diagnostics);
        var topology = result.Topology!;
        Assert.Equal(["lb1", "lb2"], topology.Nodes.Select(n => n.Name));
        var instance = Assert.Single(topology.VrrpInstances);
        Assert.Equal([KeyValuePair.Create("lb1", 150), KeyValuePair.Create("lb2", 100)], instance.Priorities);
        Assert.Single(topology.Checks);
        Assert.Single(topology.Services);
    }

    [Fact]
    public void InterfaceDifference_BecomesOverride()
    {
        var topology = Import(("a", Node("MASTER", 150, "eth0")), ("b", Node("BACKUP", 100, "ens3")), ("c", Node("BACKUP", 90, "eth0"))).Topology!;

        var instance = topology.VrrpInstances[0];
        Assert.Equal("eth0", instance.Interface);
        Assert.Equal([KeyValuePair.Create("b", "ens3")], instance.InterfaceOverrides);
        Assert.Equal("ens3", instance.InterfaceFor("b"));
        Assert.Equal(["ens3"], topology.Nodes[1].Interfaces);
    }

    [Fact]
    public void ContradictingInstance_IsErrorAtTheSecondNodesInstance()
    {
        var second = Node("BACKUP", 100).Replace("virtual_router_id 51", "virtual_router_id 52", StringComparison.Ordinal);

        var result = Import(("lb1", Node("MASTER", 150)), ("lb2", second));

        Assert.Null(result.Topology);
        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal("contradicting-nodes", error.Code);
        Assert.Equal(new SourceLocation("n2.conf", 8, 1), error.Location);
        Assert.Contains("virtualRouterId", error.Message, StringComparison.Ordinal);
        Assert.Contains("n1.conf:8:1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ContradictingVirtualAddresses_AndScriptAndService_AreErrors()
    {
        var second = Node("BACKUP", 100, service: "lb_algo wrr")
            .Replace("10.0.0.100\n", "10.0.0.101\n", StringComparison.Ordinal)
            .Replace("weight -30", "weight -10", StringComparison.Ordinal);

        var result = Import(("lb1", Node("MASTER", 150)), ("lb2", second));

        var errors = result.Diagnostics.Where(d => d.IsError).ToList();
        Assert.Equal(3, errors.Count);
        Assert.All(errors, e => Assert.Equal("contradicting-nodes", e.Code));
        Assert.Contains(errors, e => e.Location!.Line == 4 && e.Message.Contains("vrrp_script chk", StringComparison.Ordinal) && e.Message.Contains("weight", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Location!.Line == 8 && e.Message.Contains("virtualAddresses", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Location!.Line == 21 && e.Message.Contains("scheduler", StringComparison.Ordinal));
    }

    [Fact]
    public void StateMasterWithLowerPriority_IsWarning()
    {
        var result = Import(("lb1", Node("MASTER", 90)), ("lb2", Node("BACKUP", 100)));

        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal("vrrp-state-ignored", warning.Code);
        Assert.Equal(new SourceLocation("n1.conf", 9, 11), warning.Location);
        Assert.NotNull(result.Topology);
    }

    [Fact]
    public void NopreemptOnOneNodeOnly_IsContradiction()
    {
        var result = Import(("lb1", Node("BACKUP", 150, extra: "nopreempt")), ("lb2", Node("BACKUP", 100)));

        Assert.Contains("preempt", Assert.Single(result.Diagnostics, d => d.IsError).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NopreemptOnAllNodes_MapsToPreemptFalse()
    {
        var result = Import(("lb1", Node("BACKUP", 150, extra: "nopreempt")), ("lb2", Node("BACKUP", 100, extra: "nopreempt")));

        Assert.False(result.Topology!.VrrpInstances[0].Preempt);
    }

    [Fact]
    public void Unicast_PeersUnionAndNodeAddresses()
    {
        var result = KeepalivedImporter.ImportText(
        [
            new KeepalivedText("lb1", "n1.conf", Node("MASTER", 150, extra: "unicast_src_ip 10.0.0.1\nunicast_peer {\n10.0.0.2\n}"), [IPAddress.Parse("10.0.0.1")]),
            new KeepalivedText("lb2", "n2.conf", Node("BACKUP", 100, extra: "unicast_src_ip 10.0.0.2\nunicast_peer {\n10.0.0.1\n}")),
        ]);

        Assert.Empty(result.Diagnostics);
        Assert.Equal(["10.0.0.1", "10.0.0.2"], result.Topology!.VrrpInstances[0].UnicastPeers.Select(a => a.ToString()));
        Assert.Equal(["10.0.0.1"], result.Topology.Nodes[0].Addresses.Select(a => a.ToString()));
        Assert.Equal(["10.0.0.2"], result.Topology.Nodes[1].Addresses.Select(a => a.ToString()));
    }

    [Fact]
    public void Unicast_MissingPeerAndMixedMulticast_AreReported()
    {
        var result = Import(
            ("lb1", Node("MASTER", 150, extra: "unicast_src_ip 10.0.0.1\nunicast_peer {\n10.0.0.2\n}")),
            ("lb2", Node("BACKUP", 100, extra: "unicast_src_ip 10.0.0.2\nunicast_peer {\n10.0.0.3\n}")),
            ("lb3", Node("BACKUP", 90)));

        Assert.Contains(result.Diagnostics, d => d.Code == "unicast-peer-missing" && d.Location!.File == "n1.conf");
        Assert.Contains(result.Diagnostics, d => d.Code == "unicast-peer-missing" && d.Location!.File == "n2.conf");
        Assert.Contains(result.Diagnostics, d => d.IsError && d.Code == "contradicting-nodes" && d.Location!.File == "n3.conf");
    }

    [Fact]
    public void ServiceOnOneNodeOnly_IsWarning()
    {
        var second = Node("BACKUP", 100)[..Node("BACKUP", 100).IndexOf("virtual_server", StringComparison.Ordinal)];

        var result = Import(("lb1", Node("MASTER", 150)), ("lb2", second));

        Assert.Equal("service-not-on-every-node", Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void NodeNames_FromRouterIdWhenDistinct()
    {
        var result = Import((null, Node("MASTER", 150)), (null, Node("BACKUP", 100)));

        Assert.Equal(["master", "backup"], result.Topology!.Nodes.Select(n => n.Name));
        Assert.All(result.Nodes, n => Assert.Equal(NodeNameOrigin.RouterId, n.Origin));
    }

    [Fact]
    public void NodeNames_FromFileNameWhenRouterIdsClash()
    {
        var result = KeepalivedImporter.ImportText(
        [
            new KeepalivedText(null, "/etc/lb1.keepalived.conf", Node("MASTER", 150).Replace("router_id master", "router_id LVS_DEVEL", StringComparison.Ordinal)),
            new KeepalivedText(null, "lb2.conf", Node("BACKUP", 100).Replace("router_id backup", "router_id LVS_DEVEL", StringComparison.Ordinal)),
        ]);

        Assert.Equal(["lb1", "lb2"], result.Nodes.Select(n => n.Name));
        Assert.All(result.Nodes, n => Assert.Equal(NodeNameOrigin.FileName, n.Origin));
    }

    [Fact]
    public void NodeNames_Duplicate_IsError()
    {
        var result = Import(("lb", Node("MASTER", 150)), ("lb", Node("BACKUP", 100)));

        Assert.Equal("duplicate-name", Assert.Single(result.Diagnostics, d => d.IsError).Code);
    }

    [Fact]
    public void UnicastSourceThatIsNotTheNodesFirstAddress_IsWarning()
    {
        var result = KeepalivedImporter.ImportText(
        [
            new KeepalivedText("lb1", "n1.conf", Node("MASTER", 150, extra: "unicast_src_ip 10.0.0.1\nunicast_peer {\n10.0.0.2\n}"), [IPAddress.Parse("192.0.2.1")]),
        ]);

        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal(("node-address", 19, 20), (warning.Code, warning.Location!.Line, warning.Location.Column));
        Assert.Equal(["192.0.2.1", "10.0.0.1"], result.Topology!.Nodes[0].Addresses.Select(a => a.ToString()));
    }

    [Fact]
    public void TrackScriptDefinedOnAnotherNodeOnly_IsKeptWithWarning()
    {
        var withoutScript = Node("BACKUP", 100).Replace("vrrp_script chk {\n    script \"/bin/check\"\n    weight -30\n}\n", string.Empty, StringComparison.Ordinal);

        var result = Import(("lb1", Node("MASTER", 150)), ("lb2", withoutScript));

        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal(("unknown-check", "n2.conf"), (warning.Code, warning.Location!.File));
        Assert.Single(result.Topology!.VrrpInstances[0].TrackChecks);
    }
}
