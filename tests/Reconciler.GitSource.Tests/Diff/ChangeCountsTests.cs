using Reconciler.GitSource.Diff;
using static Reconciler.GitSource.Tests.Diff.DiffFixtures;

namespace Reconciler.GitSource.Tests.Diff;

/// <summary>Per-node counts in Terraform's words, as <see cref="ChangeCounts"/> documents them.</summary>
public sealed class ChangeCountsTests
{
    [Fact]
    public void Of_ServiceAddedThenRemoved_AddCountsEachDestinationDestroyCountsTheService()
    {
        var two = Samples.Plain("a", "b");

        var added = ChangeCounts.Of(Assert.Single(DiffOf(Samples.Empty, two).Nodes));
        var removed = ChangeCounts.Of(Assert.Single(DiffOf(two, Samples.Empty).Nodes));

        Assert.Equal(new ChangeCounts(4, 0, 0), added);
        Assert.Equal(new ChangeCounts(0, 0, 2), removed);
        Assert.Equal("0 to add, 0 to change, 2 to destroy", removed.ToString());
    }

    [Fact]
    public void Of_DestinationWeightAndVrrpPriority_OnlyWhatChangesItsOwnFields()
    {
        var diff = DiffOf(Samples.Seed, Edit(Samples.Seed, Weight, Priority));

        // lb1: the destination (its service's own fields stay); lb2: the destination and its part in VI_1.
        Assert.Equal(
            [("lb1", new ChangeCounts(0, 1, 0)), ("lb2", new ChangeCounts(0, 2, 0))],
            diff.Nodes.Select(n => (n.Node, ChangeCounts.Of(n))));
        Assert.True(ChangeCounts.Of(Assert.Single(DiffOf(Samples.Seed, Samples.Seed).Nodes, n => n.Node == "lb1")).IsEmpty);
    }
}
