using Reconciler.Topology.Model;

namespace Reconciler.Vrrp.Tests.Router;

public sealed class VrrpRouterStartupTests
{
    [Fact]
    public void Start_NonOwner_EntersBackup_WithoutAdvertising_RemovingStaleAddresses()
    {
        using var f = new RouterFixture(RouterFixture.V2());
        Assert.Equal(VrrpState.Initialize, f.Router.State);
        f.Router.Start();

        Assert.Equal(VrrpState.Backup, f.Router.State);
        // The router is the one writer of its addresses: ones left from a killed MASTER go before it is BACKUP.
        Assert.Equal(["remove", "transition"], f.Host.Kinds);
        var transition = Assert.Single(f.Host.Transitions);
        Assert.Equal((VrrpState.Initialize, VrrpState.Backup, VrrpTransitionReason.Startup), (transition.From, transition.To, transition.Reason));
        Assert.Equal(["INSTANCE", "VI_1", "BACKUP", "100"], transition.NotifyArguments);
    }

    [Fact]
    public void Start_Owner_BecomesMasterAtOnce_AdvertThenAddressesThenGarpThenNotify()
    {
        using var f = new RouterFixture(RouterFixture.V2(priority: 255));
        f.Router.Start();

        Assert.Equal(VrrpState.Master, f.Router.State);
        Assert.Equal(["advert", "add", "garp", "transition"], f.Host.Kinds);
        Assert.Equal(255, f.Host.Adverts.Single().Advert!.Priority);
        Assert.Equal(f.Started, f.Host.Events[0].At);
        Assert.Equal(VrrpTransitionReason.AddressOwner, f.Host.Transitions.Single().Reason);
        Assert.Equal(1, f.Router.Counters.BecameMaster);
    }

    [Fact]
    public void Start_WeightZeroCheckWithoutResult_WaitsInInitialize_UntilItReports()
    {
        var config = RouterFixture.V2() with { TrackedChecks = [new VrrpTrackedCheck("nginx", 0)] };
        using var f = new RouterFixture(config);
        f.Router.Start();
        f.Advance(TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        Assert.Equal(VrrpState.Initialize, f.Router.State);
        Assert.Empty(f.Host.Events);

        f.Router.SetCheckState("nginx", up: true);
        Assert.Equal(VrrpState.Backup, f.Router.State);
    }

    [Fact]
    public void Start_WeightedCheckWithoutResult_DoesNotHoldStartup()
    {
        var config = RouterFixture.V2() with { TrackedChecks = [new VrrpTrackedCheck("nginx", -20)] };
        using var f = new RouterFixture(config);
        f.Router.Start();
        Assert.Equal(VrrpState.Backup, f.Router.State);
        Assert.Equal(100, f.Router.EffectivePriority);
    }

    [Fact]
    public void Start_WeightZeroCheckDown_EntersFault()
    {
        var config = RouterFixture.V2(priority: 255) with { TrackedChecks = [new VrrpTrackedCheck("nginx", 0)] };
        using var f = new RouterFixture(config);
        f.Router.SetCheckState("nginx", up: false);
        f.Router.Start();

        Assert.Equal(VrrpState.Fault, f.Router.State);
        Assert.DoesNotContain("advert", f.Host.Kinds);
        Assert.Equal(["INSTANCE", "VI_1", "FAULT", "255"], f.Host.Transitions.Single().NotifyArguments);
    }

    [Fact]
    public void Start_Twice_DoesNothingMore()
    {
        using var f = new RouterFixture(RouterFixture.V2());
        f.Router.Start();
        f.Router.Start();
        Assert.Single(f.Host.Transitions);
    }

    [Fact]
    public void Constructor_InvalidConfig_ThrowsListingProblems()
    {
        var config = RouterFixture.V2() with { VirtualRouterId = 0, AdvertInterval = TimeSpan.FromMilliseconds(1500) };
        var error = Assert.Throws<ArgumentException>(() => new VrrpRouter(config, new FakeHost(TimeProvider.System), TimeProvider.System));
        Assert.Contains("virtual router id", error.Message, StringComparison.Ordinal);
        Assert.Contains("whole seconds", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stop_BeforeStart_ReportsNothing()
    {
        using var f = new RouterFixture(RouterFixture.V2());
        f.Router.Stop();
        Assert.Equal(VrrpState.Stopped, f.Router.State);
        Assert.Empty(f.Host.Events);
    }
}
