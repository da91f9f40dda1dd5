namespace Reconciler.Vrrp.Tests.Router;

public sealed class VrrpRouterMasterTests
{
    private static RouterFixture MasterAt(int priority, VrrpRouterConfig? config = null)
    {
        var f = new RouterFixture(config ?? RouterFixture.V2(priority));
        f.Router.Start();
        f.Time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(VrrpState.Master, f.Router.State);
        f.Host.Clear();
        return f;
    }

    [Fact]
    public void Master_HigherPriorityAdvert_StepsDown_RemovingAddresses()
    {
        using var f = MasterAt(100);
        f.Receive(150);

        Assert.Equal(VrrpState.Backup, f.Router.State);
        Assert.Equal(["remove", "transition"], f.Host.Kinds);
        Assert.Equal(VrrpTransitionReason.HigherPriorityAdvert, f.Host.Transitions.Single().Reason);
        Assert.Equal(f.Time.GetUtcNow() + TimeSpan.FromMicroseconds(3_609_375), f.Router.MasterDownDeadline);

        // No more adverts from us.
        f.Time.Advance(TimeSpan.FromSeconds(3));
        Assert.Empty(f.Host.Adverts);
    }

    [Fact]
    public void Master_EqualPriorityFromHigherAddress_StepsDown()
    {
        using var f = MasterAt(100);
        f.Receive(100, from: RouterFixture.PeerHigh4);
        Assert.Equal(VrrpState.Backup, f.Router.State);
        Assert.Equal(VrrpTransitionReason.EqualPriorityHigherAddress, f.Host.Transitions.Single().Reason);
    }

    [Fact]
    public void Master_EqualPriorityFromLowerAddress_StaysMaster_AndAnswersAtOnce()
    {
        using var f = MasterAt(100);
        f.Receive(100, from: RouterFixture.PeerLow4);
        Assert.Equal(VrrpState.Master, f.Router.State);
        Assert.Equal(["advert"], f.Host.Kinds);
    }

    [Fact]
    public void Master_LowerPriority_AnswersWithAnAdvert_UnlessConfiguredNotTo()
    {
        using var f = MasterAt(100);
        f.Receive(50);
        Assert.Equal(VrrpState.Master, f.Router.State);
        Assert.Equal(100, f.Host.Adverts.Single().Advert!.Priority);

        using var quiet = MasterAt(100, RouterFixture.V2(100) with { AdvertOnLowerPriority = false });
        quiet.Receive(50);
        Assert.Empty(quiet.Host.Events);
    }

    [Fact]
    public void Master_PriorityZero_SendsAnAdvertAtOnce_AndRestartsTheAdvertTimer()
    {
        using var f = MasterAt(100);
        f.Time.Advance(TimeSpan.FromMilliseconds(300));
        f.Host.Clear();
        f.Receive(0);
        Assert.Equal(["advert"], f.Host.Kinds);

        f.Time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Single(f.Host.Adverts);
        f.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, f.Host.Adverts.Count());
        Assert.Equal(1, f.Router.Counters.PriorityZeroReceived);
    }

    [Fact]
    public void Master_V3_StepsDown_AndLearnsTheNewMastersInterval()
    {
        using var f = MasterAt(100, RouterFixture.V3());
        f.Receive(200, interval: TimeSpan.FromMilliseconds(200));
        Assert.Equal(VrrpState.Backup, f.Router.State);
        Assert.Equal(TimeSpan.FromMilliseconds(200), f.Router.MasterAdvertInterval);

        // 3 x 0.2 s + 156 x 20 cs x 625 / 16 µs = 0.6 s + 121,875 µs
        Assert.Equal(f.Time.GetUtcNow() + TimeSpan.FromMicroseconds(721_875), f.Router.MasterDownDeadline);
    }

    [Fact]
    public void Owner_IsNeverOutranked_ButStepsDownToAHigherAddressOwner()
    {
        using var f = new RouterFixture(RouterFixture.V2(255));
        f.Router.Start();
        f.Receive(254, from: RouterFixture.PeerHigh4);
        Assert.Equal(VrrpState.Master, f.Router.State);
        f.Receive(255, from: RouterFixture.PeerHigh4);
        Assert.Equal(VrrpState.Backup, f.Router.State);
    }
}
