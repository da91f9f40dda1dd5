using static Reconciler.Topology.Tests.Validation.ValidationHelpers;

namespace Reconciler.Topology.Tests.Validation.Rules;

public sealed class SyncGroupSizeRuleTests
{
    private const string Code = "sync-group-size";

    [Fact]
    public void Check_OneInstanceListedTwice_Reports() => Assert.Equal(
        ["topology.yaml:27:16: error: vrrpSyncGroups[0].instances: sync group 'VG_1' has one member ('VI_OUT'); a group makes two or more VRRP instances fail over together"],
        LoadChangedSyncPair(Code, ("[VI_OUT, VI_IN]", "[VI_OUT, VI_OUT]")));

    [Fact]
    public void Check_NoMemberBuiltInCode_Reports() => Assert.Equal(
        ["topology.yaml:27:16: error: vrrpSyncGroups[0].instances: sync group 'VG_1' has no member; a group makes two or more VRRP instances fail over together"],
        ValidateChangedSyncPair(t => t.WithSyncGroup(g => g with { Instances = [] }), Code));

    [Fact]
    public void Check_TwoMembers_IsQuiet() => Assert.Empty(LoadFindings(Samples.SyncPairYaml, Code));
}
