using static Reconciler.Topology.Tests.Validation.ValidationHelpers;

namespace Reconciler.Topology.Tests.Validation.Rules;

/// <summary>One route per table, destination and metric on a node, whoever holds it.</summary>
public sealed class DuplicateRouteRuleTests
{
    private const string Code = "duplicate-route";

    private static string[] Findings(params (string Old, string New)[] replacements) =>
        LoadFindings(Replace(Samples.NetworkYaml, replacements), Code);

    [Fact]
    public void Check_NetworkSample_IsQuiet() => Assert.Empty(LoadFindings(Samples.NetworkYaml, Code));

    [Fact]
    public void Check_TwoStaticRoutesWithOneKey_IsReportedAtTheLaterOne() => Assert.Equal(
        ["topology.yaml:10:16: error: nodes[0].network.routes[1].to: node lb1 already has route 10.9.0.0/16 among its static routes (first at topology.yaml:9:11); the kernel keeps one route per table, destination and metric"],
        Findings(("{to: 198.51.100.0/24, type: blackhole, metric: 10}", "{to: 10.9.0.0/16, type: blackhole}")));

    [Fact]
    public void Check_InstanceRouteLikeAStaticOne_CountsMainAndMetricZeroAsUnset() => Assert.Equal(
        ["topology.yaml:23:14: error: vrrpInstances[0].virtualRoutes[0].to: node lb1 already has route 10.9.0.0/16 metric 0 among its static routes (first at topology.yaml:9:11); the kernel keeps one route per table, destination and metric"],
        Findings(("{to: default, via: 192.168.1.1, dev: eth1, table: 100}", "{to: 10.9.0.0/16, via: 192.168.1.1, dev: eth1, table: 254, metric: 0}")));

    [Fact]
    public void Check_SameDestinationWithAnotherMetric_IsQuiet() => Assert.Empty(
        Findings(("{to: default, via: 192.168.1.1, dev: eth1, table: 100}", "{to: 10.9.0.0/16, via: 192.168.1.1, dev: eth1, metric: 1}")));

    /// <summary>A second instance on lb1 with VI_1's first route: both may be MASTER on lb1 at once.</summary>
    [Fact]
    public void Check_SameRouteInTwoInstancesOnANode_IsReportedAtTheLaterOne() => Assert.Equal(
        ["topology.yaml:37:14: error: vrrpInstances[1].virtualRoutes[0].to: node lb1 already has route default table 100 by instance VI_1 (first at topology.yaml:23:9); the kernel keeps one route per table, destination and metric"],
        Findings(("action: prohibit}\n", """
            action: prohibit}
              - name: VI_2
                interface: eth0
                virtualRouterId: 52
                priorities: {lb1: 100}
                virtualAddresses: [192.168.1.121]
                virtualRoutes:
                  - {to: default, via: 192.168.1.2, table: 100}

            """)));
}
