using Reconciler.Topology.Model;
using Reconciler.Topology.Validation;
using Reconciler.Topology.Validation.Rules;

namespace Reconciler.Topology.Tests.Validation.Rules;

/// <summary>When a tracked weight can change which node is MASTER: the cases the lint must get right.</summary>
public sealed class TrackWeightMathTests
{
    private static ValueMap<int> Priorities(params (string Node, int Priority)[] entries) =>
        ValueMap<int>.Create(entries.Select(e => new KeyValuePair<string, int>(e.Node, e.Priority)));

    [Theory]
    [InlineData(-15, false)] // the seed: 100-15=85 > 80
    [InlineData(-19, false)]
    [InlineData(-20, true)] // 80 = 80: a tie, decided by address
    [InlineData(-21, true)]
    [InlineData(15, false)] // 80+15=95 < 100
    [InlineData(20, true)]
    [InlineData(-253, true)]
    public void CanChangeMaster_TwoNodes(int weight, bool expected) =>
        Assert.Equal(expected, IneffectiveTrackWeightRule.CanChangeMaster(Priorities(("lb1", 100), ("lb2", 80)), weight, [], strict: false));

    [Fact]
    public void CanChangeMaster_TieCountsOnlyWhenNotStrict()
    {
        var priorities = Priorities(("lb1", 100), ("lb2", 80));

        Assert.True(IneffectiveTrackWeightRule.CanChangeMaster(priorities, -20, [], strict: false));
        Assert.False(IneffectiveTrackWeightRule.CanChangeMaster(priorities, -20, [], strict: true));
    }

    [Fact]
    public void CanChangeMaster_SeveralChecks_AddUp()
    {
        // Alone, -15 cannot move 100 below 80; together with another -15 it can (100-30=70).
        var priorities = Priorities(("lb1", 100), ("lb2", 80));

        Assert.False(IneffectiveTrackWeightRule.CanChangeMaster(priorities, -15, [], strict: false));
        Assert.True(IneffectiveTrackWeightRule.CanChangeMaster(priorities, -15, [-15], strict: false));
    }

    [Fact]
    public void CanChangeMaster_OtherPositiveWeightOnTheBackup_Helps()
    {
        // lb2 gains 10 from another check while it is up: 80+10=90 >= 100-15=85.
        Assert.True(IneffectiveTrackWeightRule.CanChangeMaster(Priorities(("lb1", 100), ("lb2", 80)), -15, [10], strict: false));
    }

    [Fact]
    public void CanChangeMaster_PriorityOwner_IsNeverAdjusted()
    {
        // lb1 owns the address (255): only the order of lb2 and lb3 can change.
        Assert.False(IneffectiveTrackWeightRule.CanChangeMaster(Priorities(("lb1", 255), ("lb2", 100), ("lb3", 80)), -15, [], strict: false));
        Assert.True(IneffectiveTrackWeightRule.CanChangeMaster(Priorities(("lb1", 255), ("lb2", 100), ("lb3", 80)), -25, [], strict: false));
        Assert.False(IneffectiveTrackWeightRule.CanChangeMaster(Priorities(("lb1", 255), ("lb2", 100)), -253, [], strict: false));
    }

    [Fact]
    public void CanChangeMaster_ClampsAtOne()
    {
        // 2-253 clamps to 1, and so does 1-253: the two nodes stay tied at 1, which still counts.
        Assert.True(IneffectiveTrackWeightRule.CanChangeMaster(Priorities(("lb1", 2), ("lb2", 1)), -253, [], strict: false));
        Assert.False(IneffectiveTrackWeightRule.CanChangeMaster(Priorities(("lb1", 2), ("lb2", 1)), -253, [], strict: true));
    }

    [Fact]
    public void CanChangeMaster_SingleNode_Never() =>
        Assert.False(IneffectiveTrackWeightRule.CanChangeMaster(Priorities(("lb1", 100)), -50, [], strict: false));

    [Fact]
    public void Check_WeightZero_IsNeverReported()
    {
        var topology = Samples.Seed with { Checks = [Samples.Seed.Checks[0] with { Weight = 0 }] };

        Assert.DoesNotContain(TopologyValidator.Validate(topology), d => d.Code == "ineffective-track-weight");
    }

    [Fact]
    public void Check_EffectiveWeight_IsNotReported()
    {
        var topology = Samples.Seed with { Checks = [Samples.Seed.Checks[0] with { Weight = -30 }] };

        Assert.DoesNotContain(TopologyValidator.Validate(topology), d => d.Code == "ineffective-track-weight");
    }

    [Fact]
    public void Check_TrackedInterface_IsReportedToo()
    {
        var instance = Samples.Seed.VrrpInstances[0] with { TrackChecks = [], TrackInterfaces = [new TrackedInterface("eth1", -5)] };
        var topology = Samples.Seed with { VrrpInstances = [instance] };

        var warning = Assert.Single(TopologyValidator.Validate(topology), d => d.Code == "ineffective-track-weight");

        Assert.Equal(
            "vrrpInstances[0].trackInterfaces[0].weight: weight -5 of interface 'eth1' can never change which node is MASTER of 'VI_1' (priorities lb1 100, lb2 80: 100-5=95 is still above 80); a weight of -21 or lower would, or 0 puts the instance into FAULT",
            warning.Message);
        Assert.Null(warning.Location);
        Assert.False(warning.IsError);
    }
}
