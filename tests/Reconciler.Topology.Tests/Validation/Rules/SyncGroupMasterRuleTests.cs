using static Reconciler.Topology.Tests.Validation.ValidationHelpers;

namespace Reconciler.Topology.Tests.Validation.Rules;

public sealed class SyncGroupMasterRuleTests
{
    private const string Code = "sync-group-master";

    [Fact]
    public void Check_MembersPreferDifferentMasters_Warns() => Assert.Equal(
        ["topology.yaml:27:25: warning: vrrpSyncGroups[0].instances[1]: 'VI_IN' prefers lb2 as MASTER but 'VI_OUT' prefers lb1; sync group 'VG_1' is MASTER on one node, so one of them never is where its priorities say (and the nodes may take the group from each other over and over): give the members priorities in the same order"],
        LoadChangedSyncPair(Code, ("priorities: {lb1: 150, lb2: 100}\n    virtualAddresses: [10.0.0.1]", "priorities: {lb1: 100, lb2: 150}\n    virtualAddresses: [10.0.0.1]")));

    [Fact]
    public void Check_SameOrderOtherValues_IsQuiet() => Assert.Empty(
        LoadChangedSyncPair(Code, ("priorities: {lb1: 150, lb2: 100}\n    virtualAddresses: [10.0.0.1]", "priorities: {lb1: 200, lb2: 50}\n    virtualAddresses: [10.0.0.1]")));

    [Fact]
    public void Check_TiedMember_IsQuiet() => Assert.Empty(
        LoadChangedSyncPair(Code, ("priorities: {lb1: 150, lb2: 100}\n    virtualAddresses: [10.0.0.1]", "priorities: {lb1: 100, lb2: 100}\n    virtualAddresses: [10.0.0.1]")));
}
