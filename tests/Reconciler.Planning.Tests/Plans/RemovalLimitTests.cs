using Reconciler.Planning.Observed;
using Reconciler.Planning.Ownership;
using Reconciler.Planning.Plans;
using static Reconciler.Planning.Tests.Samples;

namespace Reconciler.Planning.Tests.Plans;

public sealed class RemovalLimitTests
{
    private static readonly string[] Vips = ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"];

    /// <summary>The kernel holds the four services (all recorded as this node's); the topology keeps <paramref name="kept"/>.</summary>
    private static (Plan Plan, ObservedState Live) PlanKeeping(int kept, params string[] foreign)
    {
        var mine = Vips.Select(v => Live(Service(Tcp(v)), Destination("10.1.0.1"))).ToList();
        var live = Kernel([.. mine, .. foreign.Select(v => Live(Service(Tcp(v)), Destination("10.1.0.1")))]);
        var desired = State([.. Vips.Take(kept).Select(v => Wanted(Service(Tcp(v)), Destination("10.1.0.1")))]);
        var owned = new OwnershipRecord(mine.Select(s => new OwnedService(s.Service, s.Destinations.Select(d => new OwnedDestination(d.Destination)).ToList())).ToList(), []);
        return (Planner.Create(desired, live, owned, Options), live);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(3)]
    [InlineData(2)] // half: a normal change, still allowed
    public void WithinTheLimit_Allowed(int kept)
    {
        var (plan, live) = PlanKeeping(kept);

        Assert.Null(RemovalLimit.Default.Check(plan, live));
    }

    [Fact]
    public void MoreThanHalf_Refused_WithCounts()
    {
        var (plan, live) = PlanKeeping(1);

        Assert.Equal("the plan deletes 3 of the 4 services this node manages (75%), more than the limit of 50%", RemovalLimit.Default.Check(plan, live));
    }

    [Fact]
    public void EveryService_Refused_EvenWithTheLimitRaisedBelowHundred()
    {
        var (plan, live) = PlanKeeping(0);

        Assert.Equal("the plan deletes every service this node manages (4)", new RemovalLimit { MaxRemovedPercent = 99 }.Check(plan, live));
    }

    [Fact]
    public void ForeignServices_NotCounted()
    {
        var (plan, live) = PlanKeeping(1, "10.9.0.1", "10.9.0.2", "10.9.0.3");

        Assert.Equal(3, plan.Unmanaged.Count);
        Assert.Contains("deletes 3 of the 4 services", RemovalLimit.Default.Check(plan, live), StringComparison.Ordinal);
    }
}
