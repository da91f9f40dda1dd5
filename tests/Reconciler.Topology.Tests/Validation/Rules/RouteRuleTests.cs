using static Reconciler.Topology.Tests.Validation.ValidationHelpers;

namespace Reconciler.Topology.Tests.Validation.Rules;

/// <summary>Routes the kernel takes, found in a node's network and a VRRP instance's virtualRoutes alike.</summary>
public sealed class RouteRuleTests
{
    private const string Code = "route";

    private static string[] Findings(params (string Old, string New)[] replacements) =>
        LoadFindings(Replace(Samples.NetworkYaml, replacements), Code);

    [Fact]
    public void Check_NetworkSample_IsQuiet() => Assert.Empty(LoadFindings(Samples.NetworkYaml, Code));

    [Fact]
    public void Check_GatewayOfOtherFamily_IsReportedAtVia() => Assert.Equal(
        ["topology.yaml:9:34: error: nodes[0].network.routes[0].via: gateway fe80::2 is IPv6 but the destination 10.9.0.0/16 is IPv4"],
        Findings(("{to: 10.9.0.0/16, via: 192.168.1.254}", "{to: 10.9.0.0/16, via: \"fe80::2\"}")));

    [Fact]
    public void Check_SourceOfOtherFamily_IsReportedAtSrc() => Assert.Equal(
        ["topology.yaml:25:55: error: vrrpInstances[0].virtualRoutes[2].src: source 192.168.1.120 is IPv4 but the destination default is IPv6"],
        Findings(("{to: default, via: \"fe80::1\", dev: eth1}", "{to: default, via: \"fe80::1\", dev: eth1, src: 192.168.1.120}")));

    [Fact]
    public void Check_UnicastWithoutViaOrDev_IsReportedAtTheRoute() => Assert.Equal(
        ["topology.yaml:9:11: error: nodes[0].network.routes[0]: route 10.9.0.0/16 metric 3 has neither via nor dev: give the gateway or the interface, or a type (blackhole, unreachable, prohibit, throw)"],
        Findings(("{to: 10.9.0.0/16, via: 192.168.1.254}", "{to: 10.9.0.0/16, metric: 3}")));

    [Fact]
    public void Check_BlackholeWithViaAndDev_ReportsBoth() => Assert.Equal(
        [
            "topology.yaml:10:55: error: nodes[0].network.routes[1].via: a blackhole route has no gateway (it forwards nothing); drop via",
            "topology.yaml:10:73: error: nodes[0].network.routes[1].dev: a blackhole route has no interface (it forwards nothing); drop dev",
        ],
        Findings(("{to: 198.51.100.0/24, type: blackhole, metric: 10}", "{to: 198.51.100.0/24, type: blackhole, via: 192.168.1.1, dev: eth0}")));

    [Fact]
    public void Check_TrackOnANodesRoute_IsRefused() => Assert.Equal(
        ["topology.yaml:9:56: error: nodes[0].network.routes[0].track: track is for a VRRP instance's route: a node's static routes are always there; drop it"],
        Findings(("{to: 10.9.0.0/16, via: 192.168.1.254}", "{to: 10.9.0.0/16, via: 192.168.1.254, track: false}")));
}
