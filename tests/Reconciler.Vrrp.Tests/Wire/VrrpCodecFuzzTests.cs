using System.Net;
using System.Net.Sockets;
using FsCheck.Fluent;
using Microsoft.Extensions.Time.Testing;
using Reconciler.Vrrp.Receive;
using Reconciler.Vrrp.Tests.Router;
using Reconciler.Vrrp.Wire;

namespace Reconciler.Vrrp.Tests.Wire;

/// <summary>
/// Bounded in-test fuzzing: random bytes and mutated valid packets through the decoder, the IPv4 header parser,
/// the validator and a live router. Nothing may throw, and every packet must be accounted for (accepted, or
/// dropped with a reason that is counted).
/// </summary>
public sealed class VrrpCodecFuzzTests
{
    private const int Iterations = 20_000;

    [Fact]
    public void Decode_RandomBytes_NeverThrows_AndFailuresHaveAReason()
    {
        var random = new Random(3768);
        for (var i = 0; i < Iterations; i++)
        {
            var bytes = new byte[random.Next(0, 80)];
            random.NextBytes(bytes);
            if (random.Next(2) == 0 && bytes.Length > 0)
            {
                // Bias towards plausible headers so the deeper paths get exercised too.
                bytes[0] = (byte)((random.Next(2, 4) << 4) | (random.Next(4) == 0 ? random.Next(16) : 1));
            }

            foreach (var family in new[] { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 })
            {
                var ok = VrrpCodec.TryDecode(bytes, family, out var advert, out var reason);
                Assert.Equal(ok, advert is not null);
                Assert.Equal(ok, reason == VrrpDropReason.None);
            }

            Ipv4Header.TryParse(bytes, out _, out _, out _);
            VrrpCodec.VerifyChecksum(bytes, IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2"));
        }
    }

    [Fact]
    public void Router_MutatedValidPackets_NeverThrows_AndCountsEveryPacket()
    {
        foreach (var config in new[] { RouterFixture.V2(password: "secret"), RouterFixture.V3() })
        {
            var time = new FakeTimeProvider();
            var router = new VrrpRouter(config, new FakeHost(time), time);
            router.Start();
            var random = new Random(5798);
            var source = RouterFixture.PeerLow4;
            var valid = VrrpCodec.Encode(config.CreateAdvert(100), source, config.MulticastGroup);

            for (var i = 0; i < Iterations; i++)
            {
                var packet = Mutate(valid, random);
                var info = new VrrpPacketInfo(source, config.MulticastGroup, random.Next(8) == 0 ? random.Next(256) : 255);
                var result = router.ReceiveAdvert(packet, info);
                Assert.Equal(result.IsValid, result.Reason == VrrpDropReason.None);
            }

            var counters = router.Counters;
            Assert.Equal(Iterations, counters.AdvertsReceived + counters.TotalDropped);
            Assert.True(counters.TotalDropped > 0);
            router.Stop();
        }
    }

    [Fact]
    public void Validate_MutatedIpv6Packets_NeverThrows()
    {
        var config = RouterFixture.V3() with
        {
            Family = AddressFamily.InterNetworkV6,
            PrimaryAddress = IPAddress.Parse("fe80::10"),
            VirtualAddresses = [new(IPAddress.Parse("2001:db8::100"), 128)],
        };
        var source = IPAddress.Parse("fe80::5");
        var valid = VrrpCodec.Encode(config.CreateAdvert(100), source, config.MulticastGroup);
        var random = new Random(8200);
        var accepted = 0;
        for (var i = 0; i < Iterations; i++)
        {
            var result = VrrpReceiveValidator.Validate(Mutate(valid, random), new VrrpPacketInfo(source, config.MulticastGroup, 255), config);
            accepted += result.IsValid ? 1 : 0;
        }

        Assert.InRange(accepted, 1, Iterations - 1);
    }

    [Fact]
    public void Decode_ArbitraryBytes_Property()
    {
        var bytes = Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b)).ToArbitrary();
        var property = Prop.ForAll(bytes, data =>
            VrrpCodec.TryDecode(data, AddressFamily.InterNetwork, out var a, out var r) == (a is not null && r == VrrpDropReason.None));
        FsCheck.Check.One(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(2000), property);
    }

    private static byte[] Mutate(byte[] valid, Random random)
    {
        var packet = valid.ToArray();
        switch (random.Next(6))
        {
            case 0:
                return packet; // unchanged: must be accepted
            case 1:
                packet[random.Next(packet.Length)] ^= (byte)(1 << random.Next(8));
                return packet;
            case 2:
                return packet[..random.Next(packet.Length)];
            case 3:
                return [.. packet, .. new byte[random.Next(1, 8)]];
            case 4:
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    packet[random.Next(packet.Length)] = (byte)random.Next(256);
                }

                return packet;
            default:
                var noise = new byte[random.Next(0, 64)];
                random.NextBytes(noise);
                return noise;
        }
    }
}
