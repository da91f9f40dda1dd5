using static Reconciler.Topology.Tests.Validation.ValidationHelpers;

namespace Reconciler.Topology.Tests.Validation.Rules;

public sealed class SyncGroupNodesRuleTests
{
    private const string Code = "sync-group-nodes";

    [Fact]
    public void Check_MemberOnOtherNodes_NamesTheNodesItLacksAndHasExtra() => Assert.Equal(
        ["topology.yaml:28:25: error: vrrpSyncGroups[0].instances[1]: 'VI_IN' does not run on lb2 and runs on lb3 too, unlike 'VI_OUT'; the members of sync group 'VG_1' must run on the same nodes (their priorities name the same nodes)"],
        LoadChangedSyncPair(
            Code,
            ("    interfaces: [eth0, eth1, eth2]\nchecks:", "    interfaces: [eth0, eth1, eth2]\n  - name: lb3\nchecks:"),
            ("priorities: {lb1: 150, lb2: 100}\n    virtualAddresses: [10.0.0.1]", "priorities: {lb1: 150, lb3: 100}\n    virtualAddresses: [10.0.0.1]")));

    [Fact]
    public void Check_MemberOnFewerNodes_NamesTheNodeItLacks() => Assert.Equal(
        ["topology.yaml:27:25: error: vrrpSyncGroups[0].instances[1]: 'VI_IN' does not run on lb2, unlike 'VI_OUT'; the members of sync group 'VG_1' must run on the same nodes (their priorities name the same nodes)"],
        LoadChangedSyncPair(Code, ("priorities: {lb1: 150, lb2: 100}\n    virtualAddresses: [10.0.0.1]", "priorities: {lb1: 150}\n    virtualAddresses: [10.0.0.1]")));

    [Fact]
    public void Check_SameNodesWithOtherPriorities_IsQuiet() => Assert.Empty(
        LoadChangedSyncPair(Code, ("priorities: {lb1: 150, lb2: 100}\n    virtualAddresses: [10.0.0.1]", "priorities: {lb2: 90, lb1: 200}\n    virtualAddresses: [10.0.0.1]")));
}
