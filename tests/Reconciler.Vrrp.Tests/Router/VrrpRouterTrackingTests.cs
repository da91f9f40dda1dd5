using Reconciler.Vrrp.Wire;

namespace Reconciler.Vrrp.Tests.Router;

public sealed class VrrpRouterTrackingTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    private static VrrpRouterConfig WithCheck(int priority, int weight) =>
        RouterFixture.V2(priority) with { TrackedChecks = [new VrrpTrackedCheck("app", weight)] };

    [Theory]
    [InlineData(20, null, 100)] // no result yet: no adjustment either way
    [InlineData(20, true, 120)] // positive weight: added while the check SUCCEEDS
    [InlineData(20, false, 100)]
    [InlineData(-20, null, 100)]
    [InlineData(-20, true, 100)]
    [InlineData(-20, false, 80)] // negative weight: added while the check FAILS
    public void EffectivePriority_FollowsKeepalivedWeightSemantics(int weight, bool? up, int expected)
    {
        using var f = new RouterFixture(WithCheck(100, weight));
        if (up is { } state)
        {
            f.Router.SetCheckState("app", state);
        }

        Assert.Equal(expected, f.Router.EffectivePriority);
    }

    [Theory]
    [InlineData(200, 100, 254)]
    [InlineData(50, -100, 1)]
    public void EffectivePriority_IsClampedTo1Through254(int priority, int weight, int expected)
    {
        using var f = new RouterFixture(WithCheck(priority, weight));
        f.Router.SetCheckState("app", weight > 0);
        Assert.Equal(expected, f.Router.EffectivePriority);
    }

    [Fact]
    public void EffectivePriority_OfTheOwner_IsNeverAdjusted()
    {
        using var f = new RouterFixture(WithCheck(255, -100));
        f.Router.SetCheckState("app", false);
        Assert.Equal(255, f.Router.EffectivePriority);
    }

    [Fact]
    public void TrackedInterface_WeightsLikeAChecks()
    {
        var config = RouterFixture.V2(100) with { TrackedInterfaces = [new VrrpTrackedInterface("eth1", -30), new VrrpTrackedInterface("eth2", 10)] };
        using var f = new RouterFixture(config);
        Assert.Equal(110, f.Router.EffectivePriority); // interfaces are up until told otherwise
        f.Router.SetInterfaceState("eth1", false);
        f.Router.SetInterfaceState("eth2", false);
        Assert.Equal(70, f.Router.EffectivePriority);
        Assert.False(f.Router.SetInterfaceState("eth9", false));
        Assert.False(f.Router.SetCheckState("unknown", false));
    }

    [Fact]
    public void CheckComingUp_RaisesBackupAboveTheMaster_WhichItThenPreempts()
    {
        // Backup 100 with +60 while up, master at 120. At 5.5 s the check comes up: 160 > 120. Later adverts are
        // discarded; the timer armed by the advert at 5 s (5 s + 3.609375 s) moves by the skew difference
        // (skew(160) - skew(100) = 375,000 - 609,375 µs) and expires at 8.375 s.
        using var f = new RouterFixture(WithCheck(100, 60));
        f.Router.Start();
        for (var second = 1; second <= 5; second++)
        {
            f.Time.Advance(TimeSpan.FromSeconds(1));
            f.Receive(120);
        }

        f.Time.Advance(TimeSpan.FromMilliseconds(500));
        f.Router.SetCheckState("app", up: true);
        Assert.Equal(160, f.Router.EffectivePriority);
        Assert.Equal(f.Started + TimeSpan.FromSeconds(8.375), f.Router.MasterDownDeadline);

        f.Time.Advance(TimeSpan.FromMilliseconds(500));
        f.Receive(120); // t = 6 s: lower now, discarded
        f.Time.Advance(TimeSpan.FromSeconds(2.375) - Tick);
        Assert.Equal(VrrpState.Backup, f.Router.State);
        f.Time.Advance(Tick);
        Assert.Equal(VrrpState.Master, f.Router.State);
        Assert.Equal(VrrpTransitionReason.Preempted, f.Host.Transitions.Last().Reason);
        Assert.Equal(160, f.Host.Adverts.First().Advert!.Priority);
    }

    [Fact]
    public void CheckGoingDown_LowersTheMastersAdverts_AndABetterBackupTakesOver()
    {
        using var f = new RouterFixture(WithCheck(100, -50));
        f.Router.SetCheckState("app", true);
        f.Router.Start();
        f.Time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(VrrpState.Master, f.Router.State);
        f.Host.Clear();

        f.Router.SetCheckState("app", false);
        Assert.Equal(VrrpState.Master, f.Router.State); // takes effect with the next advert
        Assert.Empty(f.Host.Events);
        f.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(50, f.Host.Adverts.Single().Advert!.Priority);

        // The backup at 90 preempts (its timer runs out) and advertises; we step down.
        f.Receive(90);
        Assert.Equal(VrrpState.Backup, f.Router.State);
        Assert.Equal(VrrpTransitionReason.HigherPriorityAdvert, f.Host.Transitions.Single().Reason);
    }

    [Fact]
    public void PriorityDropInBackup_PastTheDeadline_TakesOverAtOnce()
    {
        // A backup whose skew grows can only move its deadline later; one whose skew shrinks may find it past.
        using var f = new RouterFixture(WithCheck(1, 253));
        f.Router.Start();
        f.Time.Advance(TimeSpan.FromSeconds(3.2)); // deadline at 3 s + 255/256 s = 3.996093 s
        f.Router.SetCheckState("app", true); // 254: skew 7,812 µs, deadline now 3.007812 s, already past
        Assert.Equal(VrrpState.Master, f.Router.State);
    }

    [Fact]
    public void WeightZeroCheckDown_FromMaster_GoesToFault_SendingPriorityZero_AndRecoversToBackup()
    {
        using var f = new RouterFixture(WithCheck(100, 0));
        f.Router.SetCheckState("app", true);
        f.Router.Start();
        f.Time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(VrrpState.Master, f.Router.State);
        f.Host.Clear();

        f.Router.SetCheckState("app", false);
        Assert.Equal(VrrpState.Fault, f.Router.State);
        Assert.Equal(["advert", "remove", "transition"], f.Host.Kinds);
        Assert.Equal(VrrpConstants.VRRP_PRIORITY_STOP, f.Host.Adverts.Single().Advert!.Priority);
        Assert.Equal(["INSTANCE", "VI_1", "FAULT", "100"], f.Host.Transitions.Single().NotifyArguments);

        // In FAULT nothing happens: no timers, adverts counted but ignored.
        f.Host.Clear();
        f.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(f.Receive(50).Result.IsValid);
        Assert.Empty(f.Host.Events);

        f.Router.SetCheckState("app", true);
        Assert.Equal(VrrpState.Backup, f.Router.State);
        Assert.Equal(VrrpTransitionReason.FaultCleared, f.Host.Transitions.Single().Reason);
    }

    [Fact]
    public void WeightZeroCheckDown_Owner_AlsoFaults_AndRecoversToMaster()
    {
        using var f = new RouterFixture(WithCheck(255, 0));
        f.Router.SetCheckState("app", true);
        f.Router.Start();
        f.Router.SetCheckState("app", false);
        Assert.Equal(VrrpState.Fault, f.Router.State);
        f.Router.SetCheckState("app", true);
        Assert.Equal(VrrpState.Master, f.Router.State);
        Assert.Equal(2, f.Router.Counters.BecameMaster);
    }

    [Fact]
    public void OwnInterfaceDown_IsFault_AndUpAgainIsBackup()
    {
        using var f = new RouterFixture(RouterFixture.V2());
        f.Router.Start();
        f.Router.SetInterfaceState("eth0", false);
        Assert.Equal(VrrpState.Fault, f.Router.State);
        Assert.Null(f.Router.MasterDownDeadline);
        f.Router.SetInterfaceState("eth0", true);
        Assert.Equal(VrrpState.Backup, f.Router.State);
    }

    [Fact]
    public void WeightZeroTrackedInterfaceDown_IsFault()
    {
        var config = RouterFixture.V2() with { TrackedInterfaces = [new VrrpTrackedInterface("uplink", 0)] };
        using var f = new RouterFixture(config);
        f.Router.Start();
        f.Router.SetInterfaceState("uplink", false);
        Assert.Equal(VrrpState.Fault, f.Router.State);
    }
}
