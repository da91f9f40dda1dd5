using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Reconciler.KernelTests.Infrastructure;
using Reconciler.Linux.Native;
using Reconciler.Topology.Model;
using Reconciler.Vrrp.Wire;

namespace Reconciler.KernelTests.Vrrp;

/// <summary>Our packets on a real wire: tshark decodes them cleanly; spoofed and malformed adverts are dropped and counted.</summary>
[Collection("vrrp-timing")]
public sealed class VrrpWireTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Start = VrrpLan.StartTimeout;

    [Fact]
    public void Adverts_GarpAndNa_DecodeCleanlyInTshark()
    {
        using var lan = new VrrpLan();
        string n1 = lan.AddNode(1);
        string n2 = lan.AddNode(2);
        string n3 = lan.AddNode(3);
        string capture = Path.Combine(Directory.CreateTempSubdirectory("vrrp-pcap-").FullName, "vrrp.pcap");
        using var dump = LabProcess.Start(lan.Bridge, "tcpdump", "-i", "br0", "-U", "-w", capture, "ip proto 112 or ip6 proto 112 or arp or icmp6");
        Thread.Sleep(1500);
        using var v2 = new OursNode(n1, 1, 100, new VrrpSettings(2, 1, Vrid: 51, Password: "s3cret"));
        using var v3 = new OursNode(n2, 2, 100, new VrrpSettings(3, 0.1, Vrid: 52, Vip: "10.77.0.101/24"));
        using var v6 = new OursNode(n3, 3, 100, new VrrpSettings(3, 0.1, Vrid: 53, Vip: "2001:db8:77::100/64"), primary: "2001:db8:77::3");
        v2.WaitState("MASTER", Start);
        v3.WaitState("MASTER", Start);
        v6.WaitState("MASTER", Start);
        Thread.Sleep(2500);
        v2.Stop(); // priority 0 as well
        // tcpdump stops reading at SIGTERM, and what the kernel still holds for it is lost: in a loaded guest it lagged
        // behind by more than the half second this once slept, and the priority-0 advert never reached the file. Stop
        // it once the file shows that last advert (bounded; the assertion below says if it never came).
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTimeOffset.UtcNow < deadline
               && Lab.Run("tshark", "-n", "-r", capture, "-Y", "vrrp.virt_rtr_id == 51 && vrrp.prio == 0").Output.Trim().Length == 0)
        {
            Thread.Sleep(250);
        }

        dump.Terminate(TimeSpan.FromSeconds(5));

        string verbose = Lab.Run("tshark", "-n", "-r", capture, "-V").Check("tshark -V");
        string summary = Lab.Run("tshark", "-n", "-r", capture).Check("tshark");
        output.WriteLine(string.Join('\n', summary.Split('\n').Where(l => l.Length > 0).DistinctBy(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(2).Take(6))).Take(30)));
        Assert.DoesNotContain("Malformed", verbose, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("[Expert Info (Warning", verbose, StringComparison.Ordinal);
        Assert.DoesNotContain("[Expert Info (Error", verbose, StringComparison.Ordinal);
        Assert.DoesNotContain("Bad]", verbose, StringComparison.Ordinal);
        Assert.DoesNotContain("incorrect", verbose, StringComparison.OrdinalIgnoreCase);

        string fields = Lab.Run("tshark", "-n", "-r", capture, "-Y", "vrrp", "-T", "fields", "-e", "vrrp.version", "-e", "vrrp.virt_rtr_id", "-e", "vrrp.prio", "-e", "ip.ttl", "-e", "ipv6.hlim", "-e", "vrrp.checksum.status").Check("tshark fields");
        var rows = fields.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(r => r.Split('\t')).ToList();
        Assert.All(rows, r => Assert.Equal("1", r[5])); // checksum status Good, v2 and v3 (pseudo-header) alike
        Assert.Contains(rows, r => r[0] == "2" && r[1] == "51" && r[2] == "100" && r[3] == "255");
        Assert.Contains(rows, r => r[0] == "2" && r[1] == "51" && r[2] == "0");
        Assert.Contains(rows, r => r[0] == "3" && r[1] == "52" && r[3] == "255");
        Assert.Contains(rows, r => r[0] == "3" && r[1] == "53" && r[4] == "255");

        string garp = Lab.Run("tshark", "-n", "-r", capture, "-Y", "arp.isgratuitous == 1 && arp.src.proto_ipv4 == 10.77.0.100").Check("tshark garp");
        Assert.NotEmpty(garp.Trim());
        string na = Lab.Run("tshark", "-n", "-r", capture, "-Y", "icmpv6.type == 136 && icmpv6.nd.na.target_address == 2001:db8:77::100 && icmpv6.nd.na.flag.o == 1").Check("tshark na");
        Assert.NotEmpty(na.Trim());
        output.WriteLine($"{rows.Count} VRRP adverts, {garp.Trim().Split('\n').Length} gratuitous ARPs, {na.Trim().Split('\n').Length} unsolicited NAs decoded cleanly");
    }

    [Fact]
    public void SpoofedAndMalformedAdverts_AreDroppedAndCounted_NoStateChange()
    {
        using var lan = new VrrpLan();
        string n1 = lan.AddNode(1);
        string attacker = lan.AddNode(9);
        string status = Path.Combine(Directory.CreateTempSubdirectory("vrrp-status-").FullName, "status.json");
        using var ours = new OursNode(n1, 1, 100, new VrrpSettings(2, 1, Password: "s3cret"), status);
        var master = ours.WaitState("MASTER", Start);
        Thread.Sleep(1500);

        var vip = IPAddress.Parse("10.77.0.100");
        var source = IPAddress.Parse("10.77.0.9");
        var group = VrrpConstants.VRRP_MCAST_GROUP4;
        VrrpAdvert Advert(byte vrid, string password, int seconds = 1) =>
            new(2, AddressFamily.InterNetwork, vrid, 254, TimeSpan.FromSeconds(seconds), new[] { vip }.ToValueList(), VrrpAuthType.SimpleText, VrrpPassword.Encode(password));
        var wrongVrid = VrrpCodec.Encode(Advert(52, "s3cret"), source, group);
        var wrongAuth = VrrpCodec.Encode(Advert(51, "guess"), source, group);
        var wrongInterval = VrrpCodec.Encode(Advert(51, "s3cret", 2), source, group);
        var good = VrrpCodec.Encode(Advert(51, "s3cret"), source, group);
        var badChecksum = (byte[])good.Clone();
        badChecksum[6] ^= 0xFF;
        var truncated = good[..5];

        int index = int.Parse(VrrpLan.Ip(attacker, "-o", "link", "show", "eth0").Split(':')[0], System.Globalization.CultureInfo.InvariantCulture);
        LinuxNative.InNetworkNamespace("/run/netns/" + attacker, () =>
        {
            using var sender = PacketNative.OpenVrrp(AddressFamily.InterNetwork, "eth0", index, source, joinGroup: null);
            for (int i = 0; i < 3; i++)
            {
                PacketNative.SendTo(sender, wrongVrid, group, index);
                PacketNative.SendTo(sender, wrongAuth, group, index);
                PacketNative.SendTo(sender, wrongInterval, group, index);
                PacketNative.SendTo(sender, badChecksum, group, index);
                PacketNative.SendTo(sender, truncated, group, index);
            }

            PacketNative.SetTimeToLive(sender, 64);
            for (int i = 0; i < 3; i++)
            {
                PacketNative.SendTo(sender, good, group, index); // priority 254 with TTL 64: must not win
            }

            return 0;
        });

        // The driver rewrites its status every 200 ms; a loaded guest may lag, so wait for the counts (bounded), then
        // assert exact values: three of each, nothing more, nothing less.
        string[] reasons = ["VirtualRouterIdMismatch", "AuthFailure", "AdvertIntervalMismatch", "ChecksumInvalid", "TooShort", "TtlInvalid"];
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        JsonDocument json = ReadStatus(status);
        while (DateTime.UtcNow < deadline && !reasons.All(r => DropCount(json, r) >= 3))
        {
            Thread.Sleep(250);
            json.Dispose();
            json = ReadStatus(status);
        }

        Thread.Sleep(1000); // anything beyond three would show up now
        json.Dispose();
        json = ReadStatus(status);
        using var _ = json;
        output.WriteLine("status: " + json.RootElement.GetRawText());
        output.WriteLine("attacker eth0: " + VrrpLan.Ip(attacker, "-s", "-o", "link", "show", "eth0"));
        output.WriteLine("ours eth0: " + VrrpLan.Ip(n1, "-s", "-o", "link", "show", "eth0"));
        long Drops(string reason) => DropCount(json, reason);
        Assert.Equal(3, Drops("VirtualRouterIdMismatch"));
        Assert.Equal(3, Drops("AuthFailure"));
        Assert.Equal(3, Drops("AdvertIntervalMismatch"));
        Assert.Equal(3, Drops("ChecksumInvalid"));
        Assert.Equal(3, Drops("TooShort"));
        Assert.Equal(3, Drops("TtlInvalid"));
        Assert.Equal("Master", json.RootElement.GetProperty("state").GetString());
        Assert.False(ours.Entered("BACKUP", master), "no spoofed advert may make us step down");
        Assert.True(VrrpLan.HasAddress(n1, "10.77.0.100"));
    }

    /// <summary>
    /// The driver's status (written atomically: write, then rename). It writes the file before its instance starts, so a
    /// missing file means the driver is not running yet or died: wait a bounded time, then say which.
    /// </summary>
    internal static JsonDocument ReadStatus(string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!File.Exists(path))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the VRRP driver wrote no status file ({path}) within 20 s");
            Thread.Sleep(100);
        }

        return JsonDocument.Parse(File.ReadAllText(path));
    }

    internal static long DropCount(JsonDocument status, string reason) =>
        status.RootElement.GetProperty("drops").TryGetProperty(reason, out var value) ? value.GetInt64() : 0;
}
