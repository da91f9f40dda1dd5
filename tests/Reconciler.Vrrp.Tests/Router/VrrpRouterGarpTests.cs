using Reconciler.Topology.Model;

namespace Reconciler.Vrrp.Tests.Router;

public sealed class VrrpRouterGarpTests
{
    [Fact]
    public void BecomingMaster_SendsCountNow_AndRepeatCountAfterTheDelay()
    {
        using var f = new RouterFixture(RouterFixture.V2(255) with { Garp = new GratuitousArp(3, TimeSpan.FromSeconds(2), 4) });
        f.Router.Start();
        f.Advance(TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));

        var garps = f.Host.Events.Where(e => e.Kind == "garp").Select(e => (e.At - f.Started, e.Count)).ToArray();
        Assert.Equal([(TimeSpan.Zero, 3), (TimeSpan.FromSeconds(2), 4)], garps);
    }

    [Fact]
    public void KeepalivedDefault_IsFiveNowAndFiveAfterFiveSeconds()
    {
        using var f = new RouterFixture(RouterFixture.V2(255));
        f.Router.Start();
        f.Advance(TimeSpan.FromSeconds(6), TimeSpan.FromMilliseconds(100));
        var garps = f.Host.Events.Where(e => e.Kind == "garp").Select(e => (e.At - f.Started, e.Count)).ToArray();
        Assert.Equal([(TimeSpan.Zero, 5), (TimeSpan.FromSeconds(5), 5)], garps);
    }

    [Fact]
    public void LeavingMasterBeforeTheRepeat_CancelsIt()
    {
        using var f = new RouterFixture(RouterFixture.V2(255));
        f.Router.Start();
        f.Time.Advance(TimeSpan.FromSeconds(1));
        f.Router.Stop();
        f.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Single(f.Host.Events, e => e.Kind == "garp");
    }

    [Fact]
    public void ZeroCounts_SendNothing()
    {
        using var f = new RouterFixture(RouterFixture.V2(255) with { Garp = new GratuitousArp(0, TimeSpan.FromSeconds(1), 0) });
        f.Router.Start();
        f.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.DoesNotContain("garp", f.Host.Kinds);
    }
}
