using System.Net;
using System.Text.Json;
using Reconciler.KernelTests.Infrastructure;
using Reconciler.Linux.Ipvs;
using Reconciler.Linux.Route;
using Reconciler.Planning.Desired;
using Reconciler.Planning.Execution;
using Reconciler.Planning.Ownership;
using Reconciler.Topology.Model;
using TopologyModel = Reconciler.Topology.Model.Topology;

namespace Reconciler.KernelTests.Vrrp;

/// <summary>
/// A VRRP instance's virtual routes and rule, and a node's static route, on two directors in the lab: VI_1 (VRID 51,
/// 10.77.0.100/24) with a route via 10.77.0.254 and a blackhole in table 1000 and "from the VIP lookup 1000"; a
/// static route 10.66.0.0/16 on both. The instance's routes and rule are on the MASTER only, and move with it; the
/// static route is planned and applied as the CLI and the agent do (one desired-state function, one reconciler) and
/// is removed when the topology drops it. Every wait is for the outcome, never for a time.
/// </summary>
[Collection("vrrp-timing")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class VirtualRoutesTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public void Ours_RoutesAndRuleFollowTheMaster_StaticRouteOnBothUntilTheTopologyDropsIt()
    {
        using var lan = new VrrpLan();
        var n1 = lan.AddNode(1);
        var n2 = lan.AddNode(2);
        var topology = Topology();
        Apply(n1, topology, "lb1");
        Apply(n2, topology, "lb2");
        Assert.True(HasStaticRoute(n1) && HasStaticRoute(n2), "the static route on both nodes");

        using var lb1 = new ServiceNode(n1, topology, "lb1");
        using (var lb2 = new ServiceNode(n2, topology, "lb2"))
        {
            WaitUntil(() => lb1.CurrentState == "MASTER" && lb2.CurrentState == "BACKUP" && HoldsVirtual(n1) && HoldsNoVirtual(n2),
                "lb1 MASTER with the routes and rule, lb2 BACKUP without", VrrpLan.StartTimeout, n1, n2);

            // Failover: lb1 releases (priority 0); lb2 takes the VIP, then the routes, then the rule; lb1 drops them.
            lb1.Stop();
            WaitUntil(() => lb2.CurrentState == "MASTER" && HoldsVirtual(n2) && HoldsNoVirtual(n1),
                "lb2 MASTER with the routes and rule, lb1 without", Bound, n1, n2);
        }

        WaitUntil(() => HoldsNoVirtual(n2), "lb2 stopped: its routes and rule removed", Bound, n1, n2);

        // A route someone else added with another key stays when reconciler removes its own.
        VrrpLan.Ip(n1, "route", "add", "10.67.0.0/16", "via", "10.77.0.254", "dev", "eth0");
        var dropped = topology with { Nodes = [.. topology.Nodes.Select(n => n with { Network = NodeNetwork.Empty })] };
        Apply(n1, dropped, "lb1");
        Apply(n2, dropped, "lb2");
        Assert.False(HasStaticRoute(n1) || HasStaticRoute(n2), "the static route removed from both nodes");
        Assert.Contains("10.67.0.0/16", VrrpLan.Ip(n1, "route", "show"), StringComparison.Ordinal);
    }

    /// <summary>What <c>reconciler apply</c> and the agent do: build the desired state, read, plan, apply.</summary>
    private static void Apply(string space, TopologyModel topology, string node)
    {
        var path = "/run/netns/" + space;
        using var ipvs = IpvsNetlinkClient.Open(path);
        using var addresses = RtnetlinkNodeAddresses.Open(path);
        var store = new FileOwnershipStore(Path.Combine(Path.GetTempPath(), $"rk-{space}-ownership.json"));
        var reconciler = new NodeReconciler(ipvs, addresses, NoNodeSysctls.Instance, new RtnetlinkNodeRoutes(addresses.Client), store, TimeProvider.System);
        var outcome = reconciler.Apply(reconciler.PlanNow(DesiredStateBuilder.Build(topology, node, RuntimeOverlay.None)));
        Assert.True(outcome.Result.AllSucceeded, string.Join("; ", outcome.Result.Steps.Select(s => s.Error)));
    }

    private static bool HasStaticRoute(string space) =>
        Routes(space, "main").Any(r => r.GetProperty("dst").GetString() == "10.66.0.0/16" && r.GetProperty("protocol").GetString() == "82");

    private static bool HoldsVirtual(string space) =>
        VrrpLan.HasAddress(space, "10.77.0.100") && Routes(space, "1000").Count == 2 && HasRule(space);

    private static bool HoldsNoVirtual(string space) =>
        !VrrpLan.HasAddress(space, "10.77.0.100") && Routes(space, "1000").Count == 0 && !HasRule(space);

    /// <summary>The routes of a table; none when the kernel has no such table (yet, or any more: ip says so and fails).</summary>
    private static List<JsonElement> Routes(string space, string table)
    {
        var shown = ShowTable(space, table, "-j");
        using var document = JsonDocument.Parse(shown.Length == 0 ? "[]" : shown);
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    private static string ShowTable(string space, string table, params string[] options)
    {
        var result = Lab.Run("ip", ["-n", space, .. options, "-4", "route", "show", "table", table]);
        return result.ExitCode != 0 && result.Error.Contains("FIB table does not exist", StringComparison.Ordinal) ? "" : result.Check("ip route show table " + table);
    }

    private static bool HasRule(string space)
    {
        using var document = JsonDocument.Parse(VrrpLan.Ip(space, "-j", "-4", "rule", "show"));
        return document.RootElement.EnumerateArray().Any(r => r.GetProperty("priority").GetInt32() == 100 && r.TryGetProperty("src", out var src) && src.GetString() == "10.77.0.100");
    }

    private static void WaitUntil(Func<bool> condition, string what, TimeSpan timeout, params string[] spaces)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"not within {timeout.TotalSeconds:0} s: {what}; " + string.Join("; ", spaces.Select(s =>
                    $"{s}: {ShowTable(s, "1000").ReplaceLineEndings(" | ")} rules {VrrpLan.Ip(s, "rule", "show").ReplaceLineEndings(" | ")}")));
            }

            Thread.Sleep(100);
        }
    }

    private static TopologyModel Topology()
    {
        var topology = LabTopology.Load("""
            nodes:
              - {name: lb1, addresses: [10.77.0.1], interfaces: [eth0]}
              - {name: lb2, addresses: [10.77.0.2], interfaces: [eth0]}
            vrrpInstances:
              - name: VI_1
                interface: eth0
                virtualRouterId: 51
                priorities: {lb1: 100, lb2: 80}
                authentication: {password: "1111"}
                virtualAddresses: [10.77.0.100/24]
            """);
        var gateway = IPAddress.Parse("10.77.0.254");
        IpRoute[] virtualRoutes =
        [
            new(Prefix("10.88.0.0/16"), RouteType.Unicast, gateway, "eth0", null, 1000, null, null, false),
            new(Prefix("10.99.0.0/16"), RouteType.Blackhole, null, null, null, 1000, null, null, false),
        ];
        IpRule[] virtualRules = [new(Prefix("10.77.0.100/32"), null, 100, RuleAction.Table, 1000, null, null, null, null, null)];
        var network = NodeNetwork.Empty with { Routes = [new IpRoute(Prefix("10.66.0.0/16"), RouteType.Unicast, gateway, "eth0", null, null, null, null, false)] };
        return topology with
        {
            VrrpInstances = [.. topology.VrrpInstances.Select(i => i with { VirtualRoutes = [.. virtualRoutes], VirtualRules = [.. virtualRules] })],
            Nodes = [.. topology.Nodes.Select(n => n with { Network = network })],
        };
    }

    private static InterfaceAddress Prefix(string text) => InterfaceAddress.TryParse(text, out var prefix) ? prefix : throw new ArgumentException(text);
}
