using Reconciler.Agent.Status;

namespace Reconciler.Agent.Tests.Status;

public sealed class RecentEventsTests
{
    private static readonly DateTimeOffset Epoch = new(2026, 11, 25, 13, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Newest_Empty_NoEvents() => Assert.Empty(new RecentEvents().Newest());

    [Fact]
    public void Newest_SomeEvents_NewestFirst()
    {
        var events = new RecentEvents();
        events.Add(Epoch, "commit", "abc in force");
        events.Add(Epoch.AddSeconds(1), "reconcile", "applied: 3 operations");

        Assert.Equal(
            [new EventView(Epoch.AddSeconds(1), "reconcile", "applied: 3 operations"), new EventView(Epoch, "commit", "abc in force")],
            events.Newest());
    }

    [Fact]
    public void Newest_MoreThanCapacity_KeepsTheLastCapacityNewestFirst()
    {
        var events = new RecentEvents();
        for (int i = 0; i < RecentEvents.Capacity + 25; i++)
        {
            events.Add(Epoch.AddSeconds(i), "health", $"event {i}");
        }

        var newest = events.Newest();

        Assert.Equal(RecentEvents.Capacity, newest.Count);
        Assert.Equal($"event {RecentEvents.Capacity + 24}", newest[0].Message);
        Assert.Equal("event 25", newest[^1].Message);
        Assert.Equal(newest.OrderByDescending(e => e.Time), newest);
    }
}
