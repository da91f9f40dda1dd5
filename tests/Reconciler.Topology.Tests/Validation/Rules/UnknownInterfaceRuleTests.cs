using Reconciler.Topology.Tests.Loading;

namespace Reconciler.Topology.Tests.Validation.Rules;

public sealed class UnknownInterfaceRuleTests
{
    [Fact]
    public void Check_OverrideNamesInterfaceTheNodeLacks_Reports()
    {
        var yaml = Samples.SeedYaml
            .Replace("    interface: eth0\n    virtualRouterId", "    interface: eth0\n    interfaceOverrides: {lb2: eth1}\n    virtualRouterId", StringComparison.Ordinal);

        var result = LoaderHelpers.Load(yaml);

        Assert.Equal(
            [
                "topology.yaml:15:31: error: vrrpInstances[0].interfaceOverrides.lb2: node lb2 has no interface 'eth1' (it has eth0)",
            ],
            result.Diagnostics.Where(d => d.Code == "unknown-interface").Select(d => d.ToString()));
    }

    private static string[] NetworkFindings(params (string Old, string New)[] replacements) =>
        ValidationHelpers.LoadFindings(ValidationHelpers.Replace(Samples.NetworkYaml, replacements), "unknown-interface");

    [Fact]
    public void Check_InstanceRouteDevTheNodeLacks_Reports() => Assert.Equal(
        ["topology.yaml:25:44: error: vrrpInstances[0].virtualRoutes[2].dev: node lb1 has no interface 'eth7' (it has eth0, eth1)"],
        NetworkFindings(("{to: default, via: \"fe80::1\", dev: eth1}", "{to: default, via: \"fe80::1\", dev: eth7}")));

    [Fact]
    public void Check_RuleIifAndOifTheNodeLacks_ReportsBoth() => Assert.Equal(
        [
            "topology.yaml:29:69: error: vrrpInstances[0].virtualRules[1].iif: node lb1 has no interface 'eth5' (it has eth0, eth1)",
            "topology.yaml:29:80: error: vrrpInstances[0].virtualRules[1].oif: node lb1 has no interface 'eth6' (it has eth0, eth1)",
        ],
        NetworkFindings(("iif: eth0, oif: eth1", "iif: eth5, oif: eth6")));

    [Fact]
    public void Check_StaticAddressOnInterfaceTheNodeLacks_Reports() => Assert.Equal(
        ["topology.yaml:7:23: error: nodes[0].network.addresses[0].interface: node lb1 has no interface 'eth3' (it has eth0, eth1)"],
        NetworkFindings(("{interface: eth0, address: 10.0.0.5/24, label: \"eth0:1\"}", "{interface: eth3, address: 10.0.0.5/24, label: \"eth3:1\"}")));
}
