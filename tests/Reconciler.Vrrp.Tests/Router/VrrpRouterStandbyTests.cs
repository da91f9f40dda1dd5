using Reconciler.Vrrp.Wire;

namespace Reconciler.Vrrp.Tests.Router;

/// <summary>Standby for a maintenance handover: a MASTER lets go with priority 0 and stays BACKUP at priority 1 until
/// resumed.</summary>
public sealed class VrrpRouterStandbyTests
{
    [Fact]
    public void Standby_AsMaster_PriorityZeroThenSilentKeepingTheAddresses_UntilThePeersAdvert()
    {
        using var f = new RouterFixture(RouterFixture.V2(priority: 100));
        f.Router.Start();
        f.Time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(VrrpState.Master, f.Router.State);
        f.Host.Clear();

        f.Router.SetStandby(true);
        f.Time.Advance(TimeSpan.FromSeconds(2)); // the peer's skew time and more: silence, the addresses kept

        Assert.Equal(["advert"], f.Host.Kinds);
        Assert.Equal(VrrpConstants.VRRP_PRIORITY_STOP, f.Host.Adverts.Single().Advert!.Priority);
        Assert.Equal(VrrpState.Master, f.Router.State);
        Assert.True(f.Router.IsStandby);

        f.Receive(80, from: RouterFixture.PeerHigh4); // the peer took over: now, and only now, let go

        Assert.Equal(["advert", "remove", "transition"], f.Host.Kinds);
        var handover = f.Host.Transitions.Single();
        Assert.Equal((VrrpState.Master, VrrpState.Backup, VrrpTransitionReason.Handover, 1), (handover.From, handover.To, handover.Reason, handover.EffectivePriority));
        Assert.Equal(RouterFixture.PeerHigh4, f.Router.MasterAddress);
    }

    [Fact]
    public void Standby_AsMasterWithNoPeerTakingOver_AdvertisesAgainAtPriorityOne()
    {
        using var f = new RouterFixture(RouterFixture.V2(priority: 100));
        f.Router.Start();
        f.Time.Advance(TimeSpan.FromSeconds(4));
        f.Host.Clear();

        f.Router.SetStandby(true);
        f.Time.Advance(TimeSpan.FromSeconds(4)); // 3 x 1 s + 255/256 s: the master down interval at priority 1

        Assert.Equal(VrrpState.Master, f.Router.State);
        Assert.Equal([0, 1], f.Host.Adverts.Select(a => (int)a.Advert!.Priority));
        Assert.DoesNotContain("remove", f.Host.Kinds);
    }

    [Fact]
    public void Resume_WhileHandingOver_AdvertisesAtTheConfiguredPriorityAgain()
    {
        using var f = new RouterFixture(RouterFixture.V2(priority: 100));
        f.Router.Start();
        f.Time.Advance(TimeSpan.FromSeconds(4));
        f.Router.SetStandby(true);
        f.Host.Clear();

        f.Router.SetStandby(false);

        Assert.Equal(VrrpState.Master, f.Router.State);
        Assert.Equal([100], f.Host.Adverts.Select(a => (int)a.Advert!.Priority));
    }

    [Fact]
    public void Standby_PeerOfLowerConfiguredPriority_IsNotPreempted()
    {
        using var f = new RouterFixture(RouterFixture.V2(priority: 100));
        f.Router.Start();
        f.Router.SetStandby(true);

        for (var i = 0; i < 10; i++)
        {
            f.Receive(80);
            f.Time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(VrrpState.Backup, f.Router.State);
        Assert.Equal(1, f.Router.EffectivePriority);
    }

    [Fact]
    public void Standby_NoPeerAdvertises_TakesOverAsTheLastResort()
    {
        using var f = new RouterFixture(RouterFixture.V2(priority: 100));
        f.Router.Start();
        f.Router.SetStandby(true);

        // Master_Down_Interval at priority 1: 3 s + 255/256 s.
        f.Time.Advance(TimeSpan.FromSeconds(4));

        Assert.Equal(VrrpState.Master, f.Router.State);
        Assert.Equal(1, f.Host.Adverts.Last().Advert!.Priority);
    }

    [Fact]
    public void Resume_WithPreempt_TakesTheInstanceBackFromALowerPeer()
    {
        using var f = new RouterFixture(RouterFixture.V2(priority: 100));
        f.Router.Start();
        f.Router.SetStandby(true);
        f.Receive(80);
        f.Time.Advance(TimeSpan.FromSeconds(1));

        f.Router.SetStandby(false);
        Assert.Equal(100, f.Router.EffectivePriority);
        for (var i = 0; i < 4; i++)
        {
            f.Receive(80); // discarded now: we may preempt
            f.Time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(VrrpState.Master, f.Router.State);
        Assert.Equal(VrrpTransitionReason.Preempted, f.Host.Transitions.Last().Reason);
        Assert.False(f.Router.IsStandby);
    }

    [Fact]
    public void Standby_AddressOwnerStartingOnStandby_ComesUpAsBackup()
    {
        using var f = new RouterFixture(RouterFixture.V2(priority: 255));
        f.Router.SetStandby(true);

        f.Router.Start();

        Assert.Equal(VrrpState.Backup, f.Router.State);
        Assert.Equal(1, f.Router.EffectivePriority);
        Assert.Empty(f.Host.Adverts);
    }
}
