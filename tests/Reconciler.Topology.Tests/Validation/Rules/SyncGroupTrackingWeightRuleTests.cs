using static Reconciler.Topology.Tests.Validation.ValidationHelpers;

namespace Reconciler.Topology.Tests.Validation.Rules;

public sealed class SyncGroupTrackingWeightRuleTests
{
    private const string Code = "sync-group-tracking-weight";

    private static readonly (string, string) MemberTracksDiskAndEth1 =
        ("virtualAddresses: [203.0.113.10]\n", "virtualAddresses: [203.0.113.10]\n    trackChecks: [{check: disk}]\n    trackInterfaces: [{interface: eth1, weight: -10}]\n");

    [Fact]
    public void Check_NonZeroWeights_ReportEachWhereItIsWritten() => Assert.Equal(
        [
            "topology.yaml:20:19: error: vrrpInstances[0].trackChecks[0]: check 'disk' tracked by 'VI_OUT' (in sync group 'VG_1') has weight -30 (the check's own); without trackingWeights a tracked failure puts the whole group into FAULT (weight 0; keepalived sets it to 0 silently): write weight: 0 on the reference, or set trackingWeights: true on the group",
            "topology.yaml:21:49: error: vrrpInstances[0].trackInterfaces[0].weight: interface 'eth1' tracked by 'VI_OUT' (in sync group 'VG_1') has weight -10; without trackingWeights a tracked failure puts the whole group into FAULT (weight 0; keepalived sets it to 0 silently): write weight: 0 on the reference, or set trackingWeights: true on the group",
            "topology.yaml:30:45: error: vrrpSyncGroups[0].trackChecks[0].weight: check 'upstream' tracked by sync group 'VG_1' has weight 5; without trackingWeights a tracked failure puts the whole group into FAULT (weight 0; keepalived sets it to 0 silently): write weight: 0 on the reference, or set trackingWeights: true on the group",
        ],
        LoadChangedSyncPair(Code, MemberTracksDiskAndEth1, ("{check: upstream, weight: 0}", "{check: upstream, weight: 5}")));

    [Fact]
    public void Check_TrackingWeights_AllowsNonZeroWeights() => Assert.Empty(
        LoadFindings(Replace(Samples.SyncPairYaml, MemberTracksDiskAndEth1) + "    trackingWeights: true\n", Code));

    [Fact]
    public void Check_ReferenceWeightZeroOverridesTheChecksOwn_IsQuiet() => Assert.Empty(
        LoadChangedSyncPair(Code, ("virtualAddresses: [203.0.113.10]\n", "virtualAddresses: [203.0.113.10]\n    trackChecks: [{check: disk, weight: 0}]\n")));

    [Fact]
    public void Check_NonZeroWeightsOutsideAGroup_IsQuiet() => Assert.Empty(
        LoadFindings(Replace(Samples.SyncPairYaml, MemberTracksDiskAndEth1)[..Samples.SyncPairYaml.IndexOf("vrrpSyncGroups:", StringComparison.Ordinal)], Code));
}
