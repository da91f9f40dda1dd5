using FsCheck;
using FsCheck.Fluent;
using Reconciler.Health.Checking;

namespace Reconciler.Health.Tests.Checking;

public sealed class RiseFallCounterTests
{
    [Fact]
    public void Record_ConfirmedUpServer_GoesDownOnlyAtFallthFailure()
    {
        var counter = new RiseFallCounter(rise: 2, fall: 3, up: true, confirmed: true);

        Assert.False(counter.Record(false));
        Assert.False(counter.Record(false));
        Assert.True(counter.Record(false));
        Assert.False(counter.IsUp);
        Assert.Equal(3, counter.Failures);
    }

    [Fact]
    public void Record_SuccessInBetween_RestartsTheFailureCount()
    {
        var counter = new RiseFallCounter(rise: 1, fall: 2, up: true, confirmed: true);

        counter.Record(false);
        counter.Record(true);
        Assert.False(counter.Record(false));
        Assert.True(counter.Record(false));
    }

    [Fact]
    public void Record_DownServer_ComesUpAtRisethSuccess()
    {
        var counter = new RiseFallCounter(rise: 2, fall: 1, up: false, confirmed: true);

        Assert.False(counter.Record(true));
        Assert.True(counter.Record(true));
        Assert.True(counter.IsUp);
        Assert.Equal(2, counter.Successes);
    }

    [Fact]
    public void Record_UnconfirmedUp_FirstFailureIsDecisive()
    {
        var counter = new RiseFallCounter(rise: 3, fall: 3, up: true, confirmed: false);

        Assert.True(counter.Record(false));
        Assert.False(counter.IsUp);
    }

    [Fact]
    public void Record_UnconfirmedUp_FirstSuccessConfirmsThenFallApplies()
    {
        var counter = new RiseFallCounter(rise: 3, fall: 2, up: true, confirmed: false);

        Assert.False(counter.Record(true));
        Assert.False(counter.Record(false));
        Assert.True(counter.Record(false));
    }

    [Fact]
    public void Record_UnconfirmedDown_FirstSuccessIsDecisive()
    {
        var counter = new RiseFallCounter(rise: 5, fall: 1, up: false, confirmed: false);

        Assert.True(counter.Record(true));
        Assert.True(counter.IsUp);
    }

    [Fact]
    public void Record_AnyResults_StateFlipsOnlyAfterEnoughConsecutiveContraryResults()
    {
        var property = Prop.ForAll(
            Gen.Choose(1, 5).ToArbitrary(),
            Gen.Choose(1, 5).ToArbitrary(),
            Gen.ListOf(ArbMap.Default.GeneratorFor<bool>()).ToArbitrary(),
            (rise, fall, results) =>
            {
                var counter = new RiseFallCounter(rise, fall, up: true, confirmed: true);
                var up = true;
                var run = 0;
                var last = (bool?)null;
                foreach (var healthy in results)
                {
                    run = healthy == last ? run + 1 : 1;
                    last = healthy;
                    var changed = counter.Record(healthy);
                    var expected = up ? !healthy && run >= fall : healthy && run >= rise;
                    if (changed != expected)
                    {
                        return false;
                    }

                    up = changed ? !up : up;
                    if (counter.IsUp != up)
                    {
                        return false;
                    }
                }

                return true;
            });
        Check.QuickThrowOnFailure(property);
    }
}
