using Reconciler.Health.Checking;

namespace Reconciler.Health.Tests.Checking;

public sealed class CheckScheduleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Next_AttemptWithinItsSlot_IsOneIntervalAfterTheDueTimeNotAfterTheEnd()
    {
        var next = CheckSchedule.Next(T0, T0.AddSeconds(0.7), TimeSpan.FromSeconds(2));

        Assert.Equal(T0.AddSeconds(2), next);
    }

    [Fact]
    public void Next_AttemptOverranTwoSlots_SkipsToTheNextSlotAfterNow()
    {
        var next = CheckSchedule.Next(T0, T0.AddSeconds(4.5), TimeSpan.FromSeconds(2));

        Assert.Equal(T0.AddSeconds(6), next);
    }

    [Fact]
    public void Next_AttemptEndingExactlyOnASlot_TakesTheFollowingSlot()
    {
        var next = CheckSchedule.Next(T0, T0.AddSeconds(2), TimeSpan.FromSeconds(2));

        Assert.Equal(T0.AddSeconds(4), next);
    }

    [Fact]
    public void FirstDelay_Warmup_IsWithinItAndNeverZero()
    {
        var random = new Random(7);
        var delays = Enumerable.Range(0, 1000).Select(_ => CheckSchedule.FirstDelay(TimeSpan.FromSeconds(10), random)).ToList();

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(10)));
        Assert.True(delays.Distinct().Count() > 900, "warmup delays should be spread");
        Assert.Equal(TimeSpan.FromTicks(1), CheckSchedule.FirstDelay(TimeSpan.Zero, random));
    }
}
