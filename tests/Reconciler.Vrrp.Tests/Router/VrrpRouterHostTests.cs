namespace Reconciler.Vrrp.Tests.Router;

public sealed class VrrpRouterHostTests
{
    [Fact]
    public void HostThrows_RouterCarriesOn_AndReportsTheError()
    {
        using var f = new RouterFixture(RouterFixture.V2(255));
        f.Host.Hook = kind =>
        {
            if (kind == "add")
            {
                throw new IOException("netlink said no");
            }
        };
        f.Router.Start();

        Assert.Equal(VrrpState.Master, f.Router.State);
        var (operation, exception) = Assert.Single(f.Host.Errors);
        Assert.Equal(nameof(IVrrpRouterHost.AddVirtualAddresses), operation);
        Assert.IsType<IOException>(exception);
        Assert.Contains("garp", f.Host.Kinds);
    }

    [Fact]
    public void HostCallingBackIntoTheRouter_IsRefused()
    {
        using var f = new RouterFixture(RouterFixture.V2(255));
        f.Host.Hook = kind =>
        {
            if (kind == "transition")
            {
                f.Router.SetInterfaceState("eth0", false);
            }
        };
        f.Router.Start();

        Assert.Equal(VrrpState.Master, f.Router.State);
        Assert.IsType<InvalidOperationException>(Assert.Single(f.Host.Errors).Exception);
    }

    [Fact]
    public void ReassertVirtualAddresses_AsMaster_AddsThemAndAnnouncesThem_NoTransition()
    {
        using var f = new RouterFixture(RouterFixture.V2(255));
        f.Router.Start();
        f.Host.Clear();

        Assert.True(f.Router.ReassertVirtualAddresses());

        Assert.Equal(["add", "garp"], f.Host.Kinds);
        Assert.Equal(VrrpState.Master, f.Router.State);
    }

    [Fact]
    public void ReassertVirtualAddresses_AsBackup_DoesNothing()
    {
        using var f = new RouterFixture(RouterFixture.V2(100));
        f.Router.Start();
        f.Host.Clear();

        Assert.False(f.Router.ReassertVirtualAddresses());

        Assert.Empty(f.Host.Kinds);
        Assert.Equal(VrrpState.Backup, f.Router.State);
    }

    [Fact]
    public void Counters_CountTransitionsAndMasterships()
    {
        using var f = new RouterFixture(RouterFixture.V2(100));
        f.Router.Start(); // INIT -> BACKUP
        f.Time.Advance(TimeSpan.FromSeconds(4)); // -> MASTER
        f.Receive(200); // -> BACKUP
        f.Receive(200, ttl: 1); // dropped
        f.Router.Stop(); // -> STOP

        var c = f.Router.Counters;
        Assert.Equal(4, c.Transitions);
        Assert.Equal(1, c.BecameMaster);
        Assert.Equal(1, c.ReleasedMaster);
        Assert.Equal(1, c.AdvertsReceived);
        Assert.Equal(1, c.TotalDropped);
        Assert.Equal(1, c.DropsByReason()[VrrpDropReason.TtlInvalid]);
    }

    [Fact]
    public void RealTimeProvider_Works_FromThreadPoolTimers()
    {
        var host = new FakeHost(TimeProvider.System);
        using var router = new VrrpRouter(RouterFixture.V3(255, TimeSpan.FromMilliseconds(20)), host, TimeProvider.System);
        router.Start();
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (router.Counters.AdvertsSent < 5 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(10);
        }

        router.Stop();
        Assert.True(router.Counters.AdvertsSent >= 5);
        Assert.Empty(host.Errors);
    }

    [Fact]
    public void ReceiveIPv4Datagram_ParsesTheHeader_AndCountsBadOnes()
    {
        using var f = new RouterFixture(RouterFixture.V2());
        f.Router.Start();
        var message = Reconciler.Vrrp.Wire.VrrpCodec.Encode(f.Router.Config.CreateAdvert(150), RouterFixture.PeerLow4, f.Router.Config.MulticastGroup);
        var datagram = new byte[20 + message.Length];
        datagram[0] = 0x45;
        datagram[3] = (byte)datagram.Length;
        datagram[8] = 255;
        datagram[9] = 112;
        RouterFixture.PeerLow4.TryWriteBytes(datagram.AsSpan(12), out _);
        f.Router.Config.MulticastGroup.TryWriteBytes(datagram.AsSpan(16), out _);
        message.CopyTo(datagram, 20);

        Assert.True(f.Router.ReceiveIPv4Datagram(datagram).IsValid);
        Assert.Equal(RouterFixture.PeerLow4, f.Router.MasterAddress);
        Assert.Equal(VrrpDropReason.IpHeaderInvalid, f.Router.ReceiveIPv4Datagram(datagram.AsSpan(0, 10)).Reason);
        Assert.Equal(1, f.Router.Counters.Dropped(VrrpDropReason.IpHeaderInvalid));
    }
}
