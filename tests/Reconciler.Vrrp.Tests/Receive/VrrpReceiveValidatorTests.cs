using System.Net;
using Reconciler.Topology.Model;
using Reconciler.Vrrp.Receive;
using Reconciler.Vrrp.Tests.Router;
using Reconciler.Vrrp.Wire;

namespace Reconciler.Vrrp.Tests.Receive;

public sealed class VrrpReceiveValidatorTests
{
    private static readonly IPAddress Peer = RouterFixture.PeerLow4;
    private static readonly IPAddress Group = VrrpConstants.VRRP_MCAST_GROUP4;

    [Fact]
    public void Validate_GoodV2Advert_IsValid()
    {
        var config = RouterFixture.V2(password: "secret");
        var result = Check(config, config.CreateAdvert(100));
        Assert.True(result.IsValid);
        Assert.Equal(VrrpReceiveNotes.None, result.Notes);
    }

    [Fact]
    public void Validate_TtlNot255_Multicast_Drops() =>
        Assert.Equal(VrrpDropReason.TtlInvalid, Check(RouterFixture.V2(), RouterFixture.V2().CreateAdvert(100), ttl: 254).Reason);

    [Fact]
    public void Validate_TtlNot255_Unicast_IsAccepted_AsKeepalivedDoes()
    {
        var config = RouterFixture.V2() with { UnicastPeers = [Peer] };
        Assert.True(Check(config, config.CreateAdvert(100), ttl: 64, destination: config.PrimaryAddress).IsValid);
    }

    [Fact]
    public void Validate_OtherVersion_Drops()
    {
        var v2 = RouterFixture.V2();
        var v3Advert = RouterFixture.V3().CreateAdvert(100);
        Assert.Equal(VrrpDropReason.VersionMismatch, Check(v2, v3Advert).Reason);
    }

    [Fact]
    public void Validate_UnknownVersion_Drops()
    {
        var config = RouterFixture.V2();
        var bytes = Encode(config.CreateAdvert(100));
        bytes[0] = 0x41;
        Assert.Equal(VrrpDropReason.VersionInvalid, Validate(config, bytes).Reason);
    }

    [Fact]
    public void Validate_TypeNotAdvertisement_Drops()
    {
        var config = RouterFixture.V2();
        var bytes = Encode(config.CreateAdvert(100));
        bytes[0] = 0x22;
        Assert.Equal(VrrpDropReason.TypeInvalid, Validate(config, bytes).Reason);
    }

    [Fact]
    public void Validate_OtherVrid_DropsAsNotOurs()
    {
        var config = RouterFixture.V2();
        var advert = config.CreateAdvert(100) with { VirtualRouterId = 52 };
        Assert.Equal(VrrpDropReason.VirtualRouterIdMismatch, Check(config, advert).Reason);
    }

    [Fact]
    public void Validate_CorruptedChecksum_Drops()
    {
        var config = RouterFixture.V2();
        var bytes = Encode(config.CreateAdvert(100));
        bytes[7] ^= 0x01;
        Assert.Equal(VrrpDropReason.ChecksumInvalid, Validate(config, bytes).Reason);
    }

    [Fact]
    public void Validate_V3ChecksumForAnotherSource_Drops()
    {
        var config = RouterFixture.V3();
        var bytes = VrrpCodec.Encode(config.CreateAdvert(100), IPAddress.Parse("192.168.1.99"), Group);
        Assert.Equal(VrrpDropReason.ChecksumInvalid, Validate(config, bytes).Reason);
    }

    [Theory]
    [InlineData(7, VrrpDropReason.TooShort)]
    [InlineData(11, VrrpDropReason.Truncated)]
    [InlineData(19, VrrpDropReason.Truncated)]
    [InlineData(21, VrrpDropReason.LengthMismatch)]
    public void Validate_WrongLength_Drops(int length, VrrpDropReason expected)
    {
        var config = RouterFixture.V2();
        var bytes = Encode(config.CreateAdvert(100)); // 8 + 4 + 8 = 20 bytes
        var resized = new byte[length];
        bytes.AsSpan(0, Math.Min(length, bytes.Length)).CopyTo(resized);
        Assert.Equal(expected, Validate(config, resized).Reason);
    }

    [Fact]
    public void Validate_AuthTypeMismatch_Drops()
    {
        var config = RouterFixture.V2(password: "secret");
        var advert = config.CreateAdvert(100) with { AuthType = VrrpAuthType.None, AuthData = 0 };
        Assert.Equal(VrrpDropReason.AuthTypeMismatch, Check(config, advert).Reason);
    }

    [Fact]
    public void Validate_UnknownAuthType_Drops()
    {
        var config = RouterFixture.V2();
        var advert = config.CreateAdvert(100) with { AuthType = (VrrpAuthType)7 };
        Assert.Equal(VrrpDropReason.AuthTypeInvalid, Check(config, advert).Reason);
    }

    [Fact]
    public void Validate_WrongPassword_Drops()
    {
        var config = RouterFixture.V2(password: "secret");
        var advert = config.CreateAdvert(100) with { AuthData = VrrpPassword.Encode("guessed") };
        Assert.Equal(VrrpDropReason.AuthFailure, Check(config, advert).Reason);
    }

    [Fact]
    public void Validate_V2IntervalMismatch_Drops()
    {
        var config = RouterFixture.V2();
        var advert = config.CreateAdvert(100) with { AdvertInterval = TimeSpan.FromSeconds(2) };
        Assert.Equal(VrrpDropReason.AdvertIntervalMismatch, Check(config, advert).Reason);
    }

    [Fact]
    public void Validate_V3IntervalMismatch_IsAcceptedAndNoted()
    {
        var config = RouterFixture.V3();
        var result = Check(config, config.CreateAdvert(100) with { AdvertInterval = TimeSpan.FromMilliseconds(500) });
        Assert.True(result.IsValid);
        Assert.Equal(VrrpReceiveNotes.AdvertIntervalDiffers, result.Notes);
    }

    [Fact]
    public void Validate_V3ZeroInterval_Drops()
    {
        var config = RouterFixture.V3();
        Assert.Equal(VrrpDropReason.AdvertIntervalInvalid, Check(config, config.CreateAdvert(100) with { AdvertInterval = TimeSpan.Zero }).Reason);
    }

    [Fact]
    public void Validate_AddressCountMismatch_Drops()
    {
        var config = RouterFixture.V2();
        var advert = config.CreateAdvert(100) with { Addresses = [RouterFixture.Vip4.Address, IPAddress.Parse("192.168.1.121")] };
        Assert.Equal(VrrpDropReason.AddressCountMismatch, Check(config, advert).Reason);
    }

    [Fact]
    public void Validate_AddressListMismatch_Drops()
    {
        var config = RouterFixture.V2();
        var advert = config.CreateAdvert(100) with { Addresses = [IPAddress.Parse("192.168.1.121")] };
        Assert.Equal(VrrpDropReason.AddressListMismatch, Check(config, advert).Reason);
    }

    [Fact]
    public void Validate_AddressListMismatchFromOwner_IsAcceptedAndNoted()
    {
        // RFC 3768 7.1 / RFC 5798 7.1: drop unless the sender is the owner (priority 255).
        var config = RouterFixture.V2();
        var advert = config.CreateAdvert(255) with { Addresses = [IPAddress.Parse("192.168.1.121")] };
        var result = Check(config, advert);
        Assert.True(result.IsValid);
        Assert.Equal(VrrpReceiveNotes.AddressListMismatch, result.Notes);
    }

    [Fact]
    public void Validate_AddressesInAnotherOrder_IsValid()
    {
        InterfaceAddress a = new(IPAddress.Parse("192.168.1.120"), 32), b = new(IPAddress.Parse("192.168.1.121"), 32);
        var config = RouterFixture.V2() with { VirtualAddresses = [a, b] };
        var advert = config.CreateAdvert(100) with { Addresses = [b.Address, a.Address] };
        Assert.True(Check(config, advert).IsValid);
    }

    [Fact]
    public void Validate_OwnSource_Drops()
    {
        var config = RouterFixture.V2();
        var bytes = Encode(config.CreateAdvert(100));
        Assert.Equal(VrrpDropReason.OwnAddress,
            VrrpReceiveValidator.Validate(bytes, new VrrpPacketInfo(config.PrimaryAddress, Group, 255), config).Reason);
    }

    [Fact]
    public void Validate_UnicastSourceNotPeer_DroppedByDefault_AcceptedOnlyWithTheCheckOff()
    {
        var config = RouterFixture.V2() with { UnicastPeers = [IPAddress.Parse("192.168.1.30")] };
        var advert = config.CreateAdvert(100);
        Assert.Equal(VrrpDropReason.UnicastSourceNotPeer, Check(config, advert, destination: config.PrimaryAddress).Reason);
        Assert.True(Check(config with { CheckUnicastSource = false }, advert, destination: config.PrimaryAddress).IsValid);
    }

    [Theory]
    [InlineData("fe80::1", null)]
    [InlineData("2001:db8::1", VrrpDropReason.SourceNotLinkLocal)]
    public void Validate_Ipv6Multicast_AcceptsOnlyALinkLocalSource(string source, VrrpDropReason? expected)
    {
        var config = RouterFixture.V3() with
        {
            Family = System.Net.Sockets.AddressFamily.InterNetworkV6,
            PrimaryAddress = IPAddress.Parse("fe80::2"),
            VirtualAddresses = [InterfaceAddress.TryParse("2001:db8::100", out var vip) ? vip : throw new FormatException()],
        };
        var from = IPAddress.Parse(source);
        var bytes = VrrpCodec.Encode(config.CreateAdvert(100), from, VrrpConstants.VRRP_MCAST_GROUP6);
        var result = VrrpReceiveValidator.Validate(bytes, new VrrpPacketInfo(from, VrrpConstants.VRRP_MCAST_GROUP6, 255), config);
        Assert.Equal(expected ?? VrrpDropReason.None, result.Reason);
    }

    [Fact]
    public void Validate_V3UnicastLegacyChecksum_IsAcceptedAndNoted_UnlessDisabled()
    {
        var config = RouterFixture.V3() with { UnicastPeers = [Peer] };
        var legacy = VrrpCodec.Encode(config.CreateAdvert(100), Peer, Group);
        var info = new VrrpPacketInfo(Peer, config.PrimaryAddress, 255);
        var result = VrrpReceiveValidator.Validate(legacy, info, config);
        Assert.True(result.IsValid);
        Assert.Equal(VrrpReceiveNotes.LegacyUnicastChecksum, result.Notes);
        Assert.Equal(VrrpDropReason.ChecksumInvalid,
            VrrpReceiveValidator.Validate(legacy, info, config with { DetectLegacyUnicastChecksum = false }).Reason);
    }

    [Fact]
    public void Validate_WrongFamily_Drops()
    {
        var config = RouterFixture.V2();
        var bytes = Encode(config.CreateAdvert(100));
        Assert.Equal(VrrpDropReason.IpHeaderInvalid,
            VrrpReceiveValidator.Validate(bytes, new VrrpPacketInfo(IPAddress.Parse("fe80::1"), VrrpConstants.VRRP_MCAST_GROUP6, 255), config).Reason);
    }

    [Fact]
    public void Ipv4Header_ParsesFacts_AndChecksLengthAndProtocol()
    {
        var message = Encode(RouterFixture.V2().CreateAdvert(100));
        var datagram = new byte[20 + message.Length];
        datagram[0] = 0x45;
        datagram[2] = 0;
        datagram[3] = (byte)datagram.Length;
        datagram[8] = 255;
        datagram[9] = 112;
        Peer.TryWriteBytes(datagram.AsSpan(12), out _);
        Group.TryWriteBytes(datagram.AsSpan(16), out _);
        message.CopyTo(datagram, 20);

        Assert.True(Ipv4Header.TryParse(datagram, out var info, out var payload, out _));
        Assert.Equal(new VrrpPacketInfo(Peer, Group, 255), info);
        Assert.True(payload.SequenceEqual(message));

        Assert.False(Ipv4Header.TryParse(datagram.AsSpan(0, datagram.Length - 1), out _, out _, out var reason));
        Assert.Equal(VrrpDropReason.LengthMismatch, reason);
        datagram[9] = 6;
        Assert.False(Ipv4Header.TryParse(datagram, out _, out _, out reason));
        Assert.Equal(VrrpDropReason.NotVrrpProtocol, reason);
        datagram[0] = 0x65;
        Assert.False(Ipv4Header.TryParse(datagram, out _, out _, out reason));
        Assert.Equal(VrrpDropReason.IpHeaderInvalid, reason);
    }

    private static byte[] Encode(VrrpAdvert advert) => VrrpCodec.Encode(advert, Peer, Group);

    private static VrrpReceiveResult Validate(VrrpRouterConfig config, byte[] bytes, int ttl = 255, IPAddress? destination = null) =>
        VrrpReceiveValidator.Validate(bytes, new VrrpPacketInfo(Peer, destination ?? Group, ttl), config);

    private static VrrpReceiveResult Check(VrrpRouterConfig config, VrrpAdvert advert, int ttl = 255, IPAddress? destination = null) =>
        Validate(config, VrrpCodec.Encode(advert, Peer, destination ?? Group), ttl, destination);
}
