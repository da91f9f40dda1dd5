using static Reconciler.Topology.Tests.Validation.ValidationHelpers;

namespace Reconciler.Topology.Tests.Validation.Rules;

public sealed class SyncGroupMemberRuleTests
{
    private const string Code = "sync-group-member";

    [Fact]
    public void Check_InstanceListedTwiceInOneGroup_ReportsTheSecond() => Assert.Equal(
        ["topology.yaml:27:32: error: vrrpSyncGroups[0].instances[2]: 'VI_OUT' is listed twice in sync group 'VG_1' (first at topology.yaml:27:17)"],
        LoadChangedSyncPair(Code, ("[VI_OUT, VI_IN]", "[VI_OUT, VI_IN, VI_OUT]")));

    [Fact]
    public void Check_InstancesInTwoGroups_ReportsTheLaterGroup() => Assert.Equal(
        [
            "topology.yaml:35:17: error: vrrpSyncGroups[1].instances[0]: 'VI_IN' is already a member of sync group 'VG_1' (first at topology.yaml:27:25); an instance belongs to one group at most",
            "topology.yaml:35:24: error: vrrpSyncGroups[1].instances[1]: 'VI_OUT' is already a member of sync group 'VG_1' (first at topology.yaml:27:17); an instance belongs to one group at most",
        ],
        LoadFindings(Samples.SyncPairYaml + "  - name: VG_2\n    instances: [VI_IN, VI_OUT]\n", Code));

    [Fact]
    public void Check_UnknownInstanceListedTwice_LeavesItToTheUnknownInstanceRule() => Assert.Empty(
        LoadChangedSyncPair(Code, ("[VI_OUT, VI_IN]", "[VI_OUT, VI_IN, VI_X, VI_X]")));
}
