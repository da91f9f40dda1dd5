using Reconciler.Topology.Tests.Loading;

namespace Reconciler.Topology.Tests.Validation.Rules;

public sealed class UnknownNodeRuleTests
{
    [Fact]
    public void Check_PriorityForMissingNode_Reports()
    {
        var yaml = Samples.SeedYaml
            .Replace("{lb1: 100, lb2: 80}", "{lb1: 100, lb3: 80}", StringComparison.Ordinal);

        var result = LoaderHelpers.Load(yaml);

        Assert.Equal(
            [
                "topology.yaml:16:28: error: vrrpInstances[0].priorities.lb3: no node is named 'lb3'; did you mean 'lb1'?",
            ],
            result.Diagnostics.Where(d => d.Code == "unknown-node").Select(d => d.ToString()));
    }

    [Fact]
    public void Check_OverrideForMissingNode_Reports()
    {
        var yaml = Samples.SeedYaml
            .Replace("    interface: eth0\n    virtualRouterId", "    interface: eth0\n    interfaceOverrides: {lbx: eth1}\n    virtualRouterId", StringComparison.Ordinal);

        var result = LoaderHelpers.Load(yaml);

        Assert.Equal(
            [
                "topology.yaml:15:26: error: vrrpInstances[0].interfaceOverrides.lbx: no node is named 'lbx'; did you mean 'lb1'?",
            ],
            result.Diagnostics.Where(d => d.Code == "unknown-node").Select(d => d.ToString()));
    }
}
