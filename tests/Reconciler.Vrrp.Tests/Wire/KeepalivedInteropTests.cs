using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Reconciler.Topology.Model;
using Reconciler.Vrrp.Receive;
using Reconciler.Vrrp.Tests.Router;
using Reconciler.Vrrp.Wire;

namespace Reconciler.Vrrp.Tests.Wire;

/// <summary>
/// Adverts sent by a real keepalived 2.2.7 (Debian's), captured with tcpdump in the kernel lab
/// (Vectors/capture-keepalived.sh, converted by Vectors/pcap-to-vectors.py). Our receive path must accept every
/// one of them, and our encoder must produce them byte for byte from the same configuration.
/// </summary>
public sealed class KeepalivedInteropTests
{
    private static readonly IPAddress KeepalivedV4 = IPAddress.Parse("10.0.0.1");
    private static readonly IPAddress OursV4 = IPAddress.Parse("10.0.0.2");
    private static readonly IPAddress OursV6 = IPAddress.Parse("fe80::2");

    public static TheoryData<int> VectorIndexes()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Vectors.Value.Count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    private static readonly Lazy<List<(IPAddress Source, IPAddress Destination, int Ttl, byte[] Message)>> Vectors = new(() =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Vectors", "keepalived-2.2.7.txt"))
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => line.Split(' '))
            .Select(f => (IPAddress.Parse(f[0]), IPAddress.Parse(f[1]), int.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture), Convert.FromHexString(f[3])))
            .ToList());

    [Fact]
    public void Capture_HoldsEveryKindOfAdvert()
    {
        var vrids = Vectors.Value.Select(v => v.Message[1]).Distinct().Order().ToArray();
        Assert.Equal([51, 52, 53, 54], vrids);
        Assert.Equal(4, Vectors.Value.Count(v => v.Message[2] == 0)); // each instance's priority-0 on stop
    }

    [Theory]
    [MemberData(nameof(VectorIndexes))]
    public void KeepalivedAdvert_IsValidForOurMatchingInstance(int index)
    {
        var (source, destination, ttl, message) = Vectors.Value[index];
        var config = Receiver(message[1]);
        var result = VrrpReceiveValidator.Validate(message, new VrrpPacketInfo(source, destination, ttl), config);
        Assert.True(result.IsValid, result.Reason.ToString());
        Assert.Equal(VrrpReceiveNotes.None, result.Notes);
    }

    [Theory]
    [MemberData(nameof(VectorIndexes))]
    public void OurEncoder_ReproducesKeepalivedsBytes(int index)
    {
        var (source, destination, _, message) = Vectors.Value[index];
        var sender = Receiver(message[1]) with { PrimaryAddress = source };
        var ours = VrrpCodec.Encode(sender.CreateAdvert(message[2]), source, destination);
        Assert.Equal(Convert.ToHexStringLower(message), Convert.ToHexStringLower(ours));
    }

    [Fact]
    public void OurBackup_FollowsKeepalivedsMaster_AndTakesOverOnItsPriorityZero()
    {
        var time = new FakeTimeProvider();
        var host = new FakeHost(time);
        var router = new VrrpRouter(Receiver(51) with { Priority = 100 }, host, time);
        router.Start();
        foreach (var (source, destination, ttl, message) in Vectors.Value.Where(v => v.Message[1] == 51))
        {
            time.Advance(TimeSpan.FromSeconds(1));
            Assert.True(router.ReceiveAdvert(message, new VrrpPacketInfo(source, destination, ttl)).IsValid);
        }

        Assert.Equal(VrrpState.Backup, router.State);
        time.Advance(TimeSpan.FromMicroseconds(609_375));
        Assert.Equal(VrrpState.Master, router.State);
        Assert.Equal(VrrpTransitionReason.MasterReleased, host.Transitions.Last().Reason);
    }

    /// <summary>Our side of each keepalived instance in capture-keepalived.sh.</summary>
    private static VrrpRouterConfig Receiver(byte vrid)
    {
        var v4 = new VrrpRouterConfig(
            "lab", "veth-b", vrid, 3, AddressFamily.InterNetwork, TimeSpan.FromSeconds(1), 100, true, TimeSpan.Zero,
            OursV4, [], [], [], [], null, GratuitousArp.Default);
        return vrid switch
        {
            51 => v4 with { Version = 2, AuthPassword = "secret", VirtualAddresses = [Vip("10.0.0.100")] },
            52 => v4 with { AdvertInterval = TimeSpan.FromMilliseconds(500), VirtualAddresses = [Vip("10.0.0.101"), Vip("10.0.0.102")] },
            54 => v4 with { UnicastPeers = [KeepalivedV4], VirtualAddresses = [Vip("10.0.0.104")] },
            53 => v4 with { Family = AddressFamily.InterNetworkV6, PrimaryAddress = OursV6, VirtualAddresses = [Vip("2001:db8::100")] },
            _ => throw new ArgumentOutOfRangeException(nameof(vrid), vrid, null),
        };
    }

    private static InterfaceAddress Vip(string address) => InterfaceAddress.TryParse(address, out var vip) ? vip : throw new FormatException(address);
}
