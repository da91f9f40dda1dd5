using Reconciler.Topology.Tests.Loading;

namespace Reconciler.Topology.Tests.Validation.Rules;

public sealed class AdvertIntervalRuleTests
{
    [Fact]
    public void Check_Version2FractionalSeconds_Reports()
    {
        var yaml = Samples.SeedYaml
            .Replace("    virtualRouterId: 51\n", "    virtualRouterId: 51\n    advertInterval: 1500ms\n", StringComparison.Ordinal);

        var result = LoaderHelpers.Load(yaml);

        Assert.Equal(
            [
                "topology.yaml:16:21: error: vrrpInstances[0].advertInterval: advert interval 1500ms is not whole seconds 1s..255s, as VRRP version 2 requires",
            ],
            result.Diagnostics.Where(d => d.Code == "advert-interval").Select(d => d.ToString()));
    }

    [Fact]
    public void Check_Version3NotTenMillisecondSteps_Reports()
    {
        var yaml = Samples.SeedYaml
            .Replace("    authentication: {password: \"1111\"}\n", "", StringComparison.Ordinal)
            .Replace("    virtualRouterId: 51\n", "    virtualRouterId: 51\n    version: 3\n    advertInterval: 15ms\n", StringComparison.Ordinal);

        var result = LoaderHelpers.Load(yaml);

        Assert.Equal(
            [
                "topology.yaml:17:21: error: vrrpInstances[0].advertInterval: advert interval 15ms is not a multiple of 10ms in 10ms..40.95s, as VRRP version 3 requires",
            ],
            result.Diagnostics.Where(d => d.Code == "advert-interval").Select(d => d.ToString()));
    }
}
