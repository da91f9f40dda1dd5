using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Reconciler.Testing.Fuzzing;
using Reconciler.Topology.Model;
using Reconciler.Vrrp.Receive;
using Reconciler.Vrrp.Tests.Router;
using Reconciler.Vrrp.Wire;

namespace Reconciler.Vrrp.Tests.Fuzzing;

/// <summary>
/// The VRRP receive path under bounded fuzzing (corpus: tests/corpus/vrrp, keepalived 2.2.7's adverts as captured in
/// the lab, bare and inside an IPv4 header). Its contract: a malformed packet is dropped with a reason and counted,
/// never an exception; a router that takes a packet in goes on running its timers without a host error.
/// </summary>
public sealed class VrrpDecoderFuzzTests
{
    private const string Target = "vrrp";

    /// <summary>The mutations a run tries (FUZZ_INPUTS overrides): about 3 s on a two-core build machine.</summary>
    private const long Mutations = 6_000;

    private static readonly IPAddress KeepalivedV4 = IPAddress.Parse("10.0.0.1");
    private static readonly IPAddress KeepalivedV6 = IPAddress.Parse("fe80::f005:c0ff:fe20:81a8");
    private static readonly IPAddress OursV4 = IPAddress.Parse("10.0.0.2");

    /// <summary>Our side of each instance in the capture, with the packet facts its adverts arrive with.</summary>
    private static readonly (VrrpRouterConfig Config, VrrpPacketInfo Info)[] Receivers = CreateReceivers();

    public static TheoryData<string> CorpusFiles() => FuzzCorpus.Names(Target);

    [Fact]
    public void Receive_MutatedPackets_KeepsTheContract() => MutationFuzzer.Check(Target, FuzzInputKind.Binary, CheckContract, Mutations, maxInputBytes: 2048);

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Receive_CorpusFile_KeepsTheContract(string file) => CheckContract(FuzzCorpus.Load(Target).Get(file).Bytes);

    [Fact]
    public void CapturedAdverts_AreValidForTheirReceiver()
    {
        // The seeds reach past the checksum and VRID checks: the fuzzer starts from packets the validator accepts.
        foreach (var seed in FuzzCorpus.Load(Target).Seeds.Where(s => !s.Name.EndsWith(".ip.bin", StringComparison.Ordinal)))
        {
            var (config, info) = Assert.Single(Receivers, r => r.Config.VirtualRouterId == seed.Bytes[1]);
            Assert.True(VrrpReceiveValidator.Validate(seed.Bytes, info, config).IsValid, seed.Name);
        }
    }

    /// <summary>
    /// The input as a raw IPv4 datagram (header checks, then each IPv4 receiver), and as a bare VRRP message for each
    /// receiver, once as it is and once with its checksum made right so the checks behind the checksum see it too.
    /// Each goes to a fresh router in BACKUP and one in MASTER.
    /// </summary>
    internal static void CheckContract(byte[] input)
    {
        var parsed = Ipv4Header.TryParse(input, out var ipInfo, out var ipMessage, out var ipReason);
        Assert.True(parsed == (ipReason == VrrpDropReason.None), $"IPv4 header: parsed {parsed} with reason {ipReason}");
        if (parsed)
        {
            foreach (var (config, _) in Receivers.Where(r => r.Config.Family == AddressFamily.InterNetwork))
            {
                ReceiveInBothStates(config, ipMessage.ToArray(), ipInfo);
            }
        }

        foreach (var family in new[] { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 })
        {
            var decoded = VrrpCodec.TryDecode(input, family, out var advert, out var reason);
            Assert.True(decoded == (advert is not null) && decoded == (reason == VrrpDropReason.None), $"decode: {decoded}, advert {advert}, reason {reason}");
            if (advert is not null)
            {
                AssertEncodesBack(input, advert);
            }
        }

        foreach (var (config, info) in Receivers)
        {
            ReceiveInBothStates(config, input, info);
            ReceiveInBothStates(config, WithChecksum(input, info), info);
        }
    }

    private static void ReceiveInBothStates(VrrpRouterConfig config, byte[] message, VrrpPacketInfo info)
    {
        foreach (var master in new[] { false, true })
        {
            var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
            var host = new FakeHost(time, config.Family);
            using var router = new VrrpRouter(config, host, time);
            router.Start();
            if (master)
            {
                time.Advance(config.AdvertInterval * 4);
                Assert.Equal(VrrpState.Master, router.State);
            }

            var before = router.Counters.AdvertsReceived + router.Counters.TotalDropped;
            var result = router.ReceiveAdvert(message, info);
            Assert.True(result.IsValid == (result.Reason == VrrpDropReason.None), $"valid {result.IsValid} with reason {result.Reason}");
            Assert.True(!result.IsValid || result.Advert is not null, "valid without an advert");
            Assert.Equal(before + 1, router.Counters.AdvertsReceived + router.Counters.TotalDropped);

            // Whatever it learned (a master, its interval), the router runs on.
            for (var i = 0; i < 4; i++)
            {
                time.Advance(config.AdvertInterval);
            }

            Assert.Empty(host.Errors);
        }
    }

    /// <summary>
    /// What was decoded is what the bytes say: encoding it gives them back, but for the checksum (not part of the advert)
    /// and v3's reserved bits (ignored on receipt).
    /// </summary>
    private static void AssertEncodesBack(byte[] message, VrrpAdvert advert)
    {
        var any = advert.Family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
        var encoded = VrrpCodec.Encode(advert, any, any);
        var expected = message.ToArray();
        expected[6] = encoded[6];
        expected[7] = encoded[7];
        if (advert.Version == VrrpConstants.VRRP_VERSION_3)
        {
            expected[4] &= 0x0F;
        }

        Assert.Equal(Convert.ToHexStringLower(expected), Convert.ToHexStringLower(encoded));
    }

    /// <summary>The message with the checksum a sender would have put in, as <paramref name="info"/> addresses it.</summary>
    private static byte[] WithChecksum(byte[] message, VrrpPacketInfo info)
    {
        var fixedUp = message.ToArray();
        if (fixedUp.Length >= VrrpConstants.VRRP_HEADER_LENGTH)
        {
            var checksum = VrrpCodec.ComputeChecksum(fixedUp, fixedUp[0] >> 4, info.Source, info.Destination);
            fixedUp[6] = (byte)(checksum >> 8);
            fixedUp[7] = (byte)checksum;
        }

        return fixedUp;
    }

    private static (VrrpRouterConfig, VrrpPacketInfo)[] CreateReceivers()
    {
        var v4 = new VrrpRouterConfig(
            "lab", "veth-b", 0, 3, AddressFamily.InterNetwork, TimeSpan.FromSeconds(1), 100, true, TimeSpan.Zero,
            OursV4, [], [], [], [], null, GratuitousArp.Default);
        var multicast4 = new VrrpPacketInfo(KeepalivedV4, VrrpConstants.VRRP_MCAST_GROUP4, 255);
        return
        [
            (v4 with { VirtualRouterId = 51, Version = 2, AuthPassword = "secret", VirtualAddresses = [Vip("10.0.0.100")] }, multicast4),
            (v4 with { VirtualRouterId = 52, AdvertInterval = TimeSpan.FromMilliseconds(500), VirtualAddresses = [Vip("10.0.0.101"), Vip("10.0.0.102")] }, multicast4),
            (v4 with { VirtualRouterId = 54, UnicastPeers = [KeepalivedV4], VirtualAddresses = [Vip("10.0.0.104")] }, new VrrpPacketInfo(KeepalivedV4, OursV4, 64)),
            (v4 with { VirtualRouterId = 53, Family = AddressFamily.InterNetworkV6, PrimaryAddress = IPAddress.Parse("fe80::2"), VirtualAddresses = [Vip("2001:db8::100")] },
                new VrrpPacketInfo(KeepalivedV6, VrrpConstants.VRRP_MCAST_GROUP6, 255)),
        ];
    }

    private static InterfaceAddress Vip(string address) => InterfaceAddress.TryParse(address, out var vip) ? vip : throw new FormatException(address);
}
