namespace Reconciler.Vrrp.Tests.Router;

public sealed class VrrpRouterPreemptTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);
    private static readonly TimeSpan DownAt150 = TimeSpan.FromMicroseconds(3_414_062);

    [Fact]
    public void Backup_LowerPriorityMaster_WithPreempt_TakesOverWhenItsDownTimerExpires()
    {
        // RFC 5798 6.4.2: a lower-priority advert is discarded when preempting, so the timer armed at
        // startup is never reset and runs out at 3 s + skew.
        using var f = new RouterFixture(RouterFixture.V2(priority: 150));
        f.Router.Start();
        for (var i = 0; i < 3; i++)
        {
            f.Time.Advance(TimeSpan.FromSeconds(1));
            Assert.True(f.Receive(100).Result.IsValid);
        }

        f.Time.Advance(DownAt150 - TimeSpan.FromSeconds(3) - Tick);
        Assert.Equal(VrrpState.Backup, f.Router.State);
        f.Time.Advance(Tick);
        Assert.Equal(VrrpState.Master, f.Router.State);
        Assert.Equal(VrrpTransitionReason.Preempted, f.Host.Transitions.Last().Reason);
    }

    [Fact]
    public void Backup_LowerPriorityMaster_NoPreempt_StaysBackup()
    {
        using var f = new RouterFixture(RouterFixture.V2(priority: 150, preempt: false));
        f.Router.Start();
        for (var i = 0; i < 30; i++)
        {
            f.Time.Advance(TimeSpan.FromSeconds(1));
            f.Receive(100);
        }

        Assert.Equal(VrrpState.Backup, f.Router.State);
        Assert.Empty(f.Host.Adverts);
    }

    [Fact]
    public void Backup_PreemptDelay_AcceptsLowerPriorityAdvertsUntilTheDelayHasPassed()
    {
        // keepalived's preempt_delay: the first lower-priority advert (t=1 s) starts a 10 s delay; adverts before
        // t=11 s are still accepted (timer reset), later ones are discarded, so the timer armed by the advert at
        // t=10 s expires at 10 s + 3 s + skew.
        using var f = new RouterFixture(RouterFixture.V2(priority: 150, preemptDelay: TimeSpan.FromSeconds(10)));
        f.Router.Start();
        for (var second = 1; second <= 13; second++)
        {
            f.Time.Advance(TimeSpan.FromSeconds(1));
            f.Receive(100);
            Assert.Equal(VrrpState.Backup, f.Router.State);
        }

        var expected = f.Started + TimeSpan.FromSeconds(10) + DownAt150;
        f.Time.Advance(expected - f.Time.GetUtcNow() - Tick);
        Assert.Equal(VrrpState.Backup, f.Router.State);
        f.Time.Advance(Tick);
        Assert.Equal(VrrpState.Master, f.Router.State);
        Assert.Equal(VrrpTransitionReason.Preempted, f.Host.Transitions.Last().Reason);
    }

    [Fact]
    public void Backup_PreemptDelay_IsCancelledByAnAdvertAtLeastAsGood()
    {
        // A lower-priority master from t=1 s (delay to t=6 s), a better one at t=4 s (delay cancelled), lower again
        // from t=5 s: the delay restarts, runs to t=10 s, so the advert at t=9 s is the last one accepted.
        using var f = new RouterFixture(RouterFixture.V2(priority: 150, preemptDelay: TimeSpan.FromSeconds(5)));
        f.Router.Start();
        for (var second = 1; second <= 12; second++)
        {
            f.Time.Advance(TimeSpan.FromSeconds(1));
            f.Receive(second == 4 ? 200 : 100);
            Assert.Equal(VrrpState.Backup, f.Router.State);
        }

        var expected = f.Started + TimeSpan.FromSeconds(9) + DownAt150;
        f.Time.Advance(expected - f.Time.GetUtcNow() - Tick);
        Assert.Equal(VrrpState.Backup, f.Router.State);
        f.Time.Advance(Tick);
        Assert.Equal(VrrpState.Master, f.Router.State);
    }

    [Fact]
    public void Backup_EqualPriority_IsAccepted_WhateverTheAddress()
    {
        // RFC 5798 6.4.2: "greater than or equal to the local Priority" resets the timer; the address only breaks
        // ties between two masters.
        using var f = new RouterFixture(RouterFixture.V2(priority: 100));
        f.Router.Start();
        for (var i = 0; i < 10; i++)
        {
            f.Time.Advance(TimeSpan.FromSeconds(1));
            f.Receive(100, from: RouterFixture.PeerLow4);
        }

        Assert.Equal(VrrpState.Backup, f.Router.State);
    }
}
