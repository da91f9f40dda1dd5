using Reconciler.Topology.Tests.Loading;

namespace Reconciler.Topology.Tests.Validation.Rules;

public sealed class IneffectiveTrackWeightRuleTests
{
    [Fact]
    public void Check_SeedWeightMinus15_Reports()
    {
        var yaml = Samples.SeedYaml;

        var result = LoaderHelpers.Load(yaml);

        Assert.Equal(
            [
                "topology.yaml:19:19: warning: vrrpInstances[0].trackChecks[0]: weight -15 of check 'nginx' can never change which node is MASTER of 'VI_1' (priorities lb1 100, lb2 80: 100-15=85 is still above 80); a weight of -21 or lower would, or 0 puts the instance into FAULT",
            ],
            result.Diagnostics.Where(d => d.Code == "ineffective-track-weight").Select(d => d.ToString()));
    }

    [Fact]
    public void Check_NoPreempt_Reports()
    {
        var yaml = Samples.SeedYaml
            .Replace("    virtualRouterId: 51\n", "    virtualRouterId: 51\n    preempt: false\n", StringComparison.Ordinal);

        var result = LoaderHelpers.Load(yaml);

        Assert.Equal(
            [
                "topology.yaml:20:19: warning: vrrpInstances[0].trackChecks[0]: weight -15 of check 'nginx' has no effect on 'VI_1' with preempt: false (a backup never takes over from a live master); use weight 0 to put it into FAULT instead",
            ],
            result.Diagnostics.Where(d => d.Code == "ineffective-track-weight").Select(d => d.ToString()));
    }

    [Fact]
    public void Check_OverrideWeightPositive_Reports()
    {
        var yaml = Samples.SeedYaml
            .Replace("[{check: nginx}]", "[{check: nginx, weight: 15}]", StringComparison.Ordinal);

        var result = LoaderHelpers.Load(yaml);

        Assert.Equal(
            [
                "topology.yaml:19:42: warning: vrrpInstances[0].trackChecks[0].weight: weight 15 of check 'nginx' can never change which node is MASTER of 'VI_1' (priorities lb1 100, lb2 80: 80+15=95 is still below 100); a weight of 21 or higher would, or 0 puts the instance into FAULT",
            ],
            result.Diagnostics.Where(d => d.Code == "ineffective-track-weight").Select(d => d.ToString()));
    }

    [Fact]
    public void Check_SyncGroupTrackingWithWeights_CountsForEachMember() => Assert.Equal(
        [
            "topology.yaml:28:19: warning: vrrpSyncGroups[0].trackChecks[0]: weight -30 of check 'disk' (tracked by sync group 'VG_1') can never change which node is MASTER of 'VI_OUT' (priorities lb1 150, lb2 100: 150-30=120 is still above 100); a weight of -51 or lower would, or 0 puts the instance into FAULT",
            "topology.yaml:28:19: warning: vrrpSyncGroups[0].trackChecks[0]: weight -30 of check 'disk' (tracked by sync group 'VG_1') can never change which node is MASTER of 'VI_IN' (priorities lb1 150, lb2 100: 150-30=120 is still above 100); a weight of -51 or lower would, or 0 puts the instance into FAULT",
        ],
        ValidationHelpers.LoadFindings(
            Samples.SyncPairYaml.Replace("{check: upstream, weight: 0}", "{check: disk}", StringComparison.Ordinal) + "    trackingWeights: true\n",
            "ineffective-track-weight"));

    [Fact]
    public void Check_SyncGroupWithoutTrackingWeights_LeavesWeightsToTheSyncGroupRule() => Assert.Empty(
        ValidationHelpers.LoadFindings(Samples.SyncPairYaml.Replace("{check: upstream, weight: 0}", "{check: disk}", StringComparison.Ordinal), "ineffective-track-weight"));
}
