using Reconciler.Topology.Tests.Loading;

namespace Reconciler.Topology.Tests.Validation.Rules;

public sealed class ThresholdOrderRuleTests
{
    [Fact]
    public void Check_LowerAboveUpper_Reports()
    {
        var yaml = Samples.SeedYaml
            .Replace("        weight: 5\n", "        weight: 5\n        upperThreshold: 5\n        lowerThreshold: 10\n", StringComparison.Ordinal);

        var result = LoaderHelpers.Load(yaml);

        Assert.Equal(
            [
                "topology.yaml:42:25: error: services[0].realServers[1].lowerThreshold: lowerThreshold 10 is above upperThreshold 5",
            ],
            result.Diagnostics.Where(d => d.Code == "threshold-order").Select(d => d.ToString()));
    }
}
