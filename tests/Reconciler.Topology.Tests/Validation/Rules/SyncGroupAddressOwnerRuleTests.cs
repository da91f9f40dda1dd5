using static Reconciler.Topology.Tests.Validation.ValidationHelpers;

namespace Reconciler.Topology.Tests.Validation.Rules;

public sealed class SyncGroupAddressOwnerRuleTests
{
    private const string Code = "sync-group-address-owner";

    [Fact]
    public void Check_OneMemberOwnsTheAddressOnANode_ReportsItsPriority() => Assert.Equal(
        ["topology.yaml:18:23: error: vrrpInstances[0].priorities.lb1: 'VI_OUT' is the address owner (priority 255) on lb1 but 'VI_IN' (priority 150) is not; in sync group 'VG_1' every member or none is the address owner on a node (keepalived: this won't work)"],
        LoadChangedSyncPair(Code, ("priorities: {lb1: 150, lb2: 100}\n    virtualAddresses: [203", "priorities: {lb1: 255, lb2: 100}\n    virtualAddresses: [203")));

    [Fact]
    public void Check_EveryMemberOwnsTheAddressOnANode_IsQuiet() => Assert.Empty(
        LoadChangedSyncPair(Code, ("{lb1: 150, lb2: 100}", "{lb1: 255, lb2: 100}")));
}
