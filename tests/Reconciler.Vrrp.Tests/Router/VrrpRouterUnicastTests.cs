using System.Net;
using Reconciler.Vrrp.Wire;

namespace Reconciler.Vrrp.Tests.Router;

public sealed class VrrpRouterUnicastTests
{
    private static readonly IPAddress PeerA = IPAddress.Parse("192.168.1.21");
    private static readonly IPAddress PeerB = IPAddress.Parse("192.168.1.22");

    [Fact]
    public void Unicast_SendsToEachPeer_WithAChecksumForThatDestination()
    {
        var config = RouterFixture.V3(priority: 255) with { UnicastPeers = [PeerA, PeerB] };
        using var f = new RouterFixture(config);
        f.Router.Start();

        var adverts = f.Host.Adverts.ToArray();
        Assert.Equal([PeerA, PeerB], adverts.Select(a => a.Destination));
        foreach (var advert in adverts)
        {
            Assert.True(VrrpCodec.VerifyChecksum(advert.Message, config.PrimaryAddress, advert.Destination!));
        }

        Assert.Equal(1, f.Router.Counters.AdvertsSent); // keepalived counts an advert once, however many peers
    }

    [Fact]
    public void Unicast_PeerWithLegacyChecksum_IsAccepted_AndAnsweredInKind()
    {
        var config = RouterFixture.V3(priority: 100) with { UnicastPeers = [PeerA] };
        using var f = new RouterFixture(config);
        f.Router.Start();
        Assert.False(f.Router.UsesLegacyUnicastChecksum);

        var legacy = VrrpCodec.Encode(config.CreateAdvert(50), PeerA, VrrpConstants.VRRP_MCAST_GROUP4);
        Assert.True(f.Router.ReceiveAdvert(legacy, new VrrpPacketInfo(PeerA, config.PrimaryAddress, 64)).IsValid);
        Assert.True(f.Router.UsesLegacyUnicastChecksum);

        f.Time.Advance(TimeSpan.FromSeconds(4));
        var sent = f.Host.Adverts.First();
        Assert.Equal(PeerA, sent.Destination);
        Assert.True(VrrpCodec.VerifyChecksum(sent.Message, config.PrimaryAddress, VrrpConstants.VRRP_MCAST_GROUP4));
        Assert.False(VrrpCodec.VerifyChecksum(sent.Message, config.PrimaryAddress, PeerA));
    }

    [Fact]
    public void Multicast_SendsToTheGroup()
    {
        using var f = new RouterFixture(RouterFixture.V2(255));
        f.Router.Start();
        Assert.Equal(VrrpConstants.VRRP_MCAST_GROUP4, f.Host.Adverts.Single().Destination);
    }
}
