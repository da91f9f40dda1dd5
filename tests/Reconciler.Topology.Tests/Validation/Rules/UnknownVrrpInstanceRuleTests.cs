using Reconciler.Topology.Tests.Loading;

namespace Reconciler.Topology.Tests.Validation.Rules;

public sealed class UnknownVrrpInstanceRuleTests
{
    [Fact]
    public void Check_BoundInstanceMissing_Reports()
    {
        var yaml = Samples.SeedYaml
            .Replace("vrrpInstance: VI_1", "vrrpInstance: VI_2", StringComparison.Ordinal);

        var result = LoaderHelpers.Load(yaml);

        Assert.Equal(
            [
                "topology.yaml:27:19: error: services[0].vrrpInstance: no VRRP instance is named 'VI_2'; did you mean 'VI_1'?",
            ],
            result.Diagnostics.Where(d => d.Code == "unknown-vrrp-instance").Select(d => d.ToString()));
    }

    [Fact]
    public void Check_SyncGroupMemberMissing_Reports() => Assert.Equal(
        ["topology.yaml:27:25: error: vrrpSyncGroups[0].instances[1]: no VRRP instance is named 'VI_INN'; did you mean 'VI_IN'?"],
        ValidationHelpers.LoadChangedSyncPair("unknown-vrrp-instance", ("[VI_OUT, VI_IN]", "[VI_OUT, VI_INN]")));
}
