using Reconciler.Topology.Tests.Loading;

namespace Reconciler.Topology.Tests.Validation.Rules;

public sealed class UnknownCheckRuleTests
{
    [Fact]
    public void Check_TrackedCheckMissing_Reports()
    {
        var yaml = Samples.SeedYaml
            .Replace("[{check: nginx}]", "[{check: nginz}]", StringComparison.Ordinal);

        var result = LoaderHelpers.Load(yaml);

        Assert.Equal(
            [
                "topology.yaml:19:27: error: vrrpInstances[0].trackChecks[0].check: no check is named 'nginz'; did you mean 'nginx'?",
            ],
            result.Diagnostics.Where(d => d.Code == "unknown-check").Select(d => d.ToString()));
    }
}
