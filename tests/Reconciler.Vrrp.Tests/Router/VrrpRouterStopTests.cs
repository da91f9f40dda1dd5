using Reconciler.Vrrp.Wire;

namespace Reconciler.Vrrp.Tests.Router;

public sealed class VrrpRouterStopTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    [Fact]
    public void Backup_PriorityZero_TakesOverAfterTheSkewTimeOnly()
    {
        using var f = new RouterFixture(RouterFixture.V2(priority: 100));
        f.Router.Start();
        f.Time.Advance(TimeSpan.FromSeconds(1));
        f.Receive(150);
        f.Time.Advance(TimeSpan.FromSeconds(1));
        f.Receive(0);

        // Skew_Time = (256 - 100) / 256 s = 609,375 µs.
        f.Time.Advance(TimeSpan.FromMicroseconds(609_375) - Tick);
        Assert.Equal(VrrpState.Backup, f.Router.State);
        f.Time.Advance(Tick);
        Assert.Equal(VrrpState.Master, f.Router.State);
        Assert.Equal(VrrpTransitionReason.MasterReleased, f.Host.Transitions.Last().Reason);
        Assert.Equal(1, f.Router.Counters.PriorityZeroReceived);
    }

    [Fact]
    public void Stop_AsMaster_SendsPriorityZero_ThenRemovesAddresses_ThenNotifiesStop()
    {
        using var f = new RouterFixture(RouterFixture.V2(priority: 255));
        f.Router.Start();
        f.Host.Clear();
        f.Router.Stop();

        Assert.Equal(["advert", "remove", "transition"], f.Host.Kinds);
        Assert.Equal(VrrpConstants.VRRP_PRIORITY_STOP, f.Host.Adverts.Single().Advert!.Priority);
        var stop = f.Host.Transitions.Single();
        Assert.Equal((VrrpState.Master, VrrpState.Stopped, VrrpTransitionReason.Shutdown), (stop.From, stop.To, stop.Reason));
        Assert.Equal(["INSTANCE", "VI_1", "STOP", "255"], stop.NotifyArguments);
        Assert.Equal(1, f.Router.Counters.PriorityZeroSent);
        Assert.Equal(1, f.Router.Counters.ReleasedMaster);

        // Nothing after: no timers, no processing.
        f.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(VrrpDropReason.NotRunning, f.Receive(100).Result.Reason);
        Assert.Equal(3, f.Host.Events.Count);
        f.Router.Stop();
        Assert.Equal(3, f.Host.Events.Count);
    }

    [Fact]
    public void Stop_AsBackup_SendsNothing()
    {
        using var f = new RouterFixture(RouterFixture.V2());
        f.Router.Start();
        f.Host.Clear();
        f.Router.Dispose();
        Assert.Equal(["transition"], f.Host.Kinds);
        Assert.Equal(VrrpState.Stopped, f.Router.State);
    }

    [Fact]
    public void TwoRouters_MasterStops_BackupTakesOverAfterItsSkew()
    {
        var network = new FakeNetwork();
        var a = network.Add(RouterFixture.V2(priority: 200) with { PrimaryAddress = RouterFixture.PeerLow4 });
        var b = network.Add(RouterFixture.V2(priority: 100));
        a.Start();
        b.Start();

        // Both start as backups; A (smaller skew) times out first, at 3 s + 56/256 s, and B hears it.
        network.Run(TimeSpan.FromSeconds(10));
        Assert.Equal(VrrpState.Master, a.State);
        Assert.Equal(VrrpState.Backup, b.State);

        a.Stop();
        var stopped = network.Time.GetUtcNow();
        network.Run(TimeSpan.FromSeconds(5));
        Assert.Equal(VrrpState.Master, b.State);
        // The fake clock runs in 1 ms steps and fires a timer at the end of the step it falls in.
        var tookOver = network.TransitionTime(b, VrrpState.Master) - stopped;
        Assert.InRange(tookOver, TimeSpan.FromMicroseconds(609_375), TimeSpan.FromMicroseconds(610_000));
    }
}
