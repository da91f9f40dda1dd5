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

    [Fact]
    public void Check_SyncGroupTrackedCheckMissing_Reports() => Assert.Equal(
        ["topology.yaml:28:27: error: vrrpSyncGroups[0].trackChecks[0].check: no check is named 'upstrem'; did you mean 'upstream'?"],
        ValidationHelpers.LoadChangedSyncPair("unknown-check", ("{check: upstream, weight: 0}", "{check: upstrem, weight: 0}")));
}
