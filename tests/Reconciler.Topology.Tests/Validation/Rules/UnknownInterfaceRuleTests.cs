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
}
