using Reconciler.Topology.Tests.Loading;

namespace Reconciler.Topology.Tests.Validation.Rules;

public sealed class PersistencePrefixRuleTests
{
    [Fact]
    public void Check_TooLongForIpv4_Reports()
    {
        var yaml = Samples.SeedYaml
            .Replace("{timeout: 50s}", "{timeout: 50s, prefixLength: 64}", StringComparison.Ordinal);

        var result = LoaderHelpers.Load(yaml);

        Assert.Equal(
            [
                "topology.yaml:26:47: error: services[0].persistence.prefixLength: prefix length 64 does not fit an IPv4 service (0..32)",
            ],
            result.Diagnostics.Where(d => d.Code == "persistence-prefix").Select(d => d.ToString()));
    }
}
