using static Reconciler.Topology.Tests.Validation.ValidationHelpers;

namespace Reconciler.Topology.Tests.Validation.Rules;

public sealed class SyncGroupTrackOverlapRuleTests
{
    [Fact]
    public void Check_GroupAndMemberTrackTheSameObjects_ReportsAtTheGroupNamingTheMember() => Assert.Equal(
        [
            "topology.yaml:30:19: error: vrrpSyncGroups[0].trackChecks[0]: check 'upstream' is tracked both by sync group 'VG_1' and by its member 'VI_OUT' (at topology.yaml:20:19), so which weight counts is unclear; track it in one place",
            "topology.yaml:31:23: error: vrrpSyncGroups[0].trackInterfaces[0]: interface 'eth2' is tracked both by sync group 'VG_1' and by its member 'VI_IN' (at topology.yaml:26:23), so which weight counts is unclear; track it in one place",
        ],
        LoadChangedSyncPair(
            "sync-group-track-overlap",
            ("virtualAddresses: [203.0.113.10]\n", "virtualAddresses: [203.0.113.10]\n    trackChecks: [{check: upstream, weight: 0}]\n"),
            ("virtualAddresses: [10.0.0.1]\n", "virtualAddresses: [10.0.0.1]\n    trackInterfaces: [{interface: eth2}]\n")));

    [Fact]
    public void Check_MemberTracksOtherObjects_IsQuiet() => Assert.Empty(
        LoadChangedSyncPair(
            "sync-group-track-overlap",
            ("virtualAddresses: [203.0.113.10]\n", "virtualAddresses: [203.0.113.10]\n    trackChecks: [{check: disk, weight: 0}]\n    trackInterfaces: [{interface: eth0}]\n")));
}
