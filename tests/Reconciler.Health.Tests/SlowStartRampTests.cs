using FsCheck;
using FsCheck.Fluent;

namespace Reconciler.Health.Tests;

public sealed class SlowStartRampTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(4.5, 5)]
    [InlineData(8.99, 9)]
    [InlineData(9, 10)]
    [InlineData(20, 10)]
    public void WeightAt_TenOverNineSeconds_IsLinearFromOne(double seconds, int expected) =>
        Assert.Equal(expected, SlowStartRamp.WeightAt(10, TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void WeightAt_TargetOneOrZero_NoRamp()
    {
        Assert.Equal(1, SlowStartRamp.WeightAt(1, TimeSpan.FromSeconds(9), TimeSpan.Zero));
        Assert.Equal(0, SlowStartRamp.WeightAt(0, TimeSpan.FromSeconds(9), TimeSpan.Zero));
    }

    [Fact]
    public void NextStep_AnyRamp_IsExactlyWhereTheWeightGoesUp()
    {
        var property = Prop.ForAll(
            Gen.Choose(2, 100_000).ToArbitrary(),
            Gen.Choose(1, 3_600_000).ToArbitrary(),
            Gen.Choose(0, 1000).ToArbitrary(),
            (target, durationMs, permille) =>
            {
                var duration = TimeSpan.FromMilliseconds(durationMs);
                var elapsed = duration * (permille / 1000.0);
                var step = SlowStartRamp.NextStep(target, duration, elapsed);
                var now = SlowStartRamp.WeightAt(target, duration, elapsed);
                if (now == target)
                {
                    return step == duration;
                }

                var before = SlowStartRamp.WeightAt(target, duration, step - TimeSpan.FromTicks(1));
                var at = SlowStartRamp.WeightAt(target, duration, step);
                return step > elapsed && before == now && at > now && at <= target;
            });
        Check.QuickThrowOnFailure(property);
    }
}
