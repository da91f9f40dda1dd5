namespace Reconciler.Vrrp.Tests.Router;

public sealed class VrrpRouterMasterDownTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    [Theory]
    [InlineData(100, 3_609_375)] // 3 s + (256 - 100) / 256 s
    [InlineData(150, 3_414_062)] // 3 s + 106 / 256 s = 0.4140625, truncated to the microsecond as keepalived does
    [InlineData(254, 3_007_812)] // 3 s + 2 / 256 s
    public void Backup_NoAdverts_BecomesMaster_AtExactlyThreeIntervalsPlusSkew(int priority, long microseconds)
    {
        using var f = new RouterFixture(RouterFixture.V2(priority));
        f.Router.Start();
        var downInterval = TimeSpan.FromMicroseconds(microseconds);

        f.Time.Advance(downInterval - Tick);
        Assert.Equal(VrrpState.Backup, f.Router.State);
        f.Time.Advance(Tick);
        Assert.Equal(VrrpState.Master, f.Router.State);

        var becameMaster = f.Host.Transitions.Last();
        Assert.Equal(VrrpTransitionReason.MasterDown, becameMaster.Reason);
        Assert.Equal(f.Started + downInterval, f.Host.Adverts.First().At);
    }

    [Fact]
    public void Backup_V3_UsesTheMastersAdvertisedInterval()
    {
        // Master advertises every 500 ms: Master_Down_Interval = 3 x 0.5 s + (156 x 50 cs / 256) = 1.5 s + 304,687 µs.
        using var f = new RouterFixture(RouterFixture.V3());
        f.Router.Start();
        f.Time.Advance(TimeSpan.FromSeconds(1));
        f.Receive(200, interval: TimeSpan.FromMilliseconds(500));
        Assert.Equal(TimeSpan.FromMilliseconds(500), f.Router.MasterAdvertInterval);
        var heard = f.Time.GetUtcNow();

        f.Time.Advance(TimeSpan.FromMicroseconds(1_804_687) - Tick);
        Assert.Equal(VrrpState.Backup, f.Router.State);
        f.Time.Advance(Tick);
        Assert.Equal(VrrpState.Master, f.Router.State);
        Assert.Equal(heard + TimeSpan.FromMicroseconds(1_804_687), f.Host.Adverts.First().At);

        // As master it advertises at its own configured interval again.
        Assert.Equal(TimeSpan.FromSeconds(1), f.Router.MasterAdvertInterval);
    }

    [Fact]
    public void Backup_AdvertsKeepArriving_StaysBackup()
    {
        using var f = new RouterFixture(RouterFixture.V2());
        f.Router.Start();
        for (var second = 0; second < 60; second++)
        {
            f.Time.Advance(TimeSpan.FromSeconds(1));
            Assert.True(f.Receive(150).Result.IsValid);
        }

        Assert.Equal(VrrpState.Backup, f.Router.State);
        Assert.Equal(RouterFixture.PeerLow4, f.Router.MasterAddress);
        Assert.Empty(f.Host.Adverts);
        Assert.Equal(60, f.Router.Counters.AdvertsReceived);
    }

    [Fact]
    public void Backup_InvalidAdverts_DoNotResetTheTimer()
    {
        using var f = new RouterFixture(RouterFixture.V2());
        f.Router.Start();
        f.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(VrrpDropReason.TtlInvalid, f.Receive(150, ttl: 1).Result.Reason);
        f.Time.Advance(TimeSpan.FromMicroseconds(2_609_375));
        Assert.Equal(VrrpState.Master, f.Router.State);
        Assert.Equal(1, f.Router.Counters.Dropped(VrrpDropReason.TtlInvalid));
    }

    [Fact]
    public void Master_AdvertisesEveryInterval()
    {
        using var f = new RouterFixture(RouterFixture.V3(priority: 255, interval: TimeSpan.FromMilliseconds(250)));
        f.Router.Start();
        f.Advance(TimeSpan.FromSeconds(1));
        var times = f.Host.Adverts.Select(a => (a.At - f.Started).TotalMilliseconds).ToArray();
        Assert.Equal([0, 250, 500, 750, 1000], times);
        Assert.Equal(5, f.Router.Counters.AdvertsSent);
    }

    [Theory]
    [InlineData(2, 100, 1000, 609_375)]
    [InlineData(2, 1, 1000, 996_093)]
    [InlineData(3, 100, 1000, 609_375)]
    [InlineData(3, 100, 500, 304_687)]
    [InlineData(3, 200, 10, 2_187)] // 56 x 1 cs / 256 = 2,187.5 µs, truncated
    [InlineData(3, 254, 40_950, 319_921)] // 2 x 4095 cs x 625 / 16 = 319,921.875 µs
    public void SkewTime_MatchesKeepalivedMicroseconds(int version, int priority, int intervalMs, long expectedMicroseconds) =>
        Assert.Equal(TimeSpan.FromMicroseconds(expectedMicroseconds), VrrpTimers.SkewTime(version, priority, TimeSpan.FromMilliseconds(intervalMs)));
}
