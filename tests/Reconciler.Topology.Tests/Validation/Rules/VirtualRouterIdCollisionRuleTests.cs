using Reconciler.Topology.Tests.Loading;

namespace Reconciler.Topology.Tests.Validation.Rules;

public sealed class VirtualRouterIdCollisionRuleTests
{
    [Fact]
    public void Check_SameVridOnSameInterface_Reports()
    {
        var yaml = Samples.SeedYaml
            .Replace("    trackChecks: [{check: nginx}]\n", "    trackChecks: [{check: nginx}]\n  - name: VI_2\n    interface: eth0\n    virtualRouterId: 51\n    priorities: {lb2: 100}\n    virtualAddresses: [192.168.1.121]\n", StringComparison.Ordinal);

        var result = LoaderHelpers.Load(yaml);

        Assert.Equal(
            [
                "topology.yaml:22:22: error: vrrpInstances[1].virtualRouterId: VRID 51 of 'VI_2' is already used by 'VI_1' on lb2 eth0 (IPv4) (first at topology.yaml:15:22)",
            ],
            result.Diagnostics.Where(d => d.Code == "vrid-collision").Select(d => d.ToString()));
    }
}
