using Reconciler.Topology.Tests.Loading;

namespace Reconciler.Topology.Tests.Validation.Rules;

public sealed class PreemptDelayRuleTests
{
    [Fact]
    public void Check_OverOneThousandSeconds_Reports()
    {
        var yaml = Samples.SeedYaml
            .Replace("    virtualRouterId: 51\n", "    virtualRouterId: 51\n    preemptDelay: 20m\n", StringComparison.Ordinal);

        var result = LoaderHelpers.Load(yaml);

        Assert.Equal(
            [
                "topology.yaml:16:19: error: vrrpInstances[0].preemptDelay: preempt delay 20m is outside 0s..1000s",
            ],
            result.Diagnostics.Where(d => d.Code == "preempt-delay").Select(d => d.ToString()));
    }
}
