using Reconciler.Topology.Tests.Loading;

namespace Reconciler.Topology.Tests.Validation.Rules;

public sealed class AuthenticationRuleTests
{
    [Fact]
    public void Check_WithVersion3_Reports()
    {
        var yaml = Samples.SeedYaml
            .Replace("    virtualRouterId: 51\n", "    virtualRouterId: 51\n    version: 3\n", StringComparison.Ordinal);

        var result = LoaderHelpers.Load(yaml);

        Assert.Equal(
            [
                "topology.yaml:18:5: error: vrrpInstances[0].authentication: VRRP version 3 has no authentication; remove it (or use version 2)",
            ],
            result.Diagnostics.Where(d => d.Code == "authentication").Select(d => d.ToString()));
    }
}
