using Microsoft.Extensions.Time.Testing;
using Reconciler.Agent.Hosting;

namespace Reconciler.Agent.Tests.Hosting;

public sealed class ReconcileRequestLimitTests
{
    [Fact]
    public void TryTake_BurstThenOnePerRefill()
    {
        var time = new FakeTimeProvider();
        var limit = new ReconcileRequestLimit(time);

        var burst = Enumerable.Range(0, ReconcileRequestLimit.Burst).Select(_ => limit.TryTake()).ToList();
        var refused = limit.TryTake();
        time.Advance(ReconcileRequestLimit.Refill);
        var refilled = limit.TryTake();
        var refusedAgain = limit.TryTake();

        Assert.All(burst, Assert.Null);
        Assert.Equal(ReconcileRequestLimit.Refill, refused);
        Assert.Null(refilled);
        Assert.Equal(ReconcileRequestLimit.Refill, refusedAgain);
    }

    [Fact]
    public void TryTake_AfterALongQuiet_NoMoreThanTheBurst()
    {
        var time = new FakeTimeProvider();
        var limit = new ReconcileRequestLimit(time);
        time.Advance(TimeSpan.FromHours(1));

        var accepted = Enumerable.Range(0, ReconcileRequestLimit.Burst * 3).Count(_ => limit.TryTake() is null);

        Assert.Equal(ReconcileRequestLimit.Burst, accepted);
    }
}
