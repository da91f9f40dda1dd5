using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Reconciler.Linux.Native;
using SafeSocketHandle = Reconciler.Linux.Native.SafeSocketHandle;
using Reconciler.Topology.Model;
using Reconciler.Vrrp.Wire;

namespace Reconciler.KernelTests.Vrrp;

/// <summary>
/// Forged adverts whose every field is valid (VRID, password, interval, addresses, checksum), sent by a host on the
/// segment that is not one of the instance's routers (node 10), against our VRRP and keepalived 2.2.7 side by side:
/// what each does is what the README's security model says. VRRPv2 plain-text authentication is no defence here: the
/// password travels in every advert.
/// </summary>
[Collection("vrrp-timing")]
public sealed class VrrpSpoofingTests(ITestOutputHelper output)
{
    private const string Vip = "10.77.0.100";
    private const string Password = "s3cret";
    private static readonly TimeSpan Start = VrrpLan.StartTimeout;
    private static readonly IPAddress Attacker = IPAddress.Parse("10.77.0.10");

    /// <summary>
    /// Unicast instance (nodes 1 and 2 peer with each other), master node 1 at 150: node 10 sends it priority-254
    /// adverts. Ours drops them (the source is not a configured peer) and counts them; so does keepalived with
    /// <c>vrrp_check_unicast_src</c>; keepalived's default takes the first one and steps down.
    /// </summary>
    [Theory]
    [InlineData("ours", false)]
    [InlineData("keepalived-checking-source", false)]
    [InlineData("keepalived", true)]
    public void Unicast_ForgedHigherPriorityFromANonPeer(string masterKind, bool masterStepsDown)
    {
        var settings = new VrrpSettings(2, 1.0, Password: Password, UnicastNodes: [1, 2]);
        using var lan = new VrrpLan();
        string n1 = lan.AddNode(1);
        string n2 = lan.AddNode(2);
        string attacker = lan.AddNode(10);
        string status = Path.Combine(Directory.CreateTempSubdirectory("vrrp-status-").FullName, "status.json");
        using IVrrpNode backup = masterKind == "ours" ? new KeepalivedNode(n2, 100, settings, number: 2) : new OursNode(n2, 2, 100, settings);
        using IVrrpNode master = masterKind switch
        {
            "ours" => new OursNode(n1, 1, 150, settings, status),
            "keepalived-checking-source" => new KeepalivedNode(n1, 150, settings, number: 1, checkUnicastSource: true),
            _ => new KeepalivedNode(n1, 150, settings, number: 1),
        };
        master.WaitState("MASTER", Start);
        VrrpInteropTests.Settle(master, backup);

        const int Forged = 20;
        var forged = VrrpCodec.Encode(Advert(254), Attacker, IPAddress.Parse("10.77.0.1"));
        var attackStarted = DateTimeOffset.UtcNow;
        Send(attacker, Forged, forged, IPAddress.Parse("10.77.0.1"), TimeSpan.FromMilliseconds(100));

        if (masterStepsDown)
        {
            var steppedDown = master.WaitState("BACKUP", TimeSpan.FromSeconds(10), attackStarted);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{masterKind} (default, no vrrp_check_unicast_src): stepped down {(steppedDown - attackStarted).TotalSeconds:0.000} s into the forged adverts"));
            return;
        }

        if (master is OursNode)
        {
            // Every forged advert reaches the router and is counted under its reason (bounded wait for the count).
            WaitForDrops(status, "UnicastSourceNotPeer", Forged);
        }
        else
        {
            // keepalived counts nothing we can read: its master answers an accepted advert at once (it steps down on
            // the first one, as the default case shows), so a second beyond the last one sent is ample.
            Thread.Sleep(1000);
        }

        output.WriteLine($"{masterKind}: {Forged} forged priority-254 adverts from {Attacker} (not a peer) sent to the master; state now {master.CurrentState}");
        Assert.False(master.Entered("BACKUP", attackStarted), "a forged advert from a non-peer must not make the master step down");
        Assert.Equal("MASTER", master.CurrentState);
        Assert.True(VrrpLan.HasAddress(n1, Vip), "the master keeps the VIP");
        if (master is OursNode)
        {
            using var json = VrrpWireTests.ReadStatus(status);
            Assert.Equal(Forged, VrrpWireTests.DropCount(json, "UnicastSourceNotPeer"));
        }
    }

    /// <summary>
    /// Multicast instance, v2 with 3 s adverts: node 10 sends a priority-0 advert (as a master that stops would) right
    /// after one of the master's adverts. RFC 3768/5798 6.4.3: the master answers with an advert at once, long before its
    /// next one was due, so the backups hear a master again before their skew time runs out; the master keeps the VIP.
    /// </summary>
    [Theory]
    [InlineData("ours", "keepalived")]
    [InlineData("keepalived", "ours")]
    public void Multicast_ForgedPriorityZero_MasterAnswersAtOnce_KeepsTheVip(string masterKind, string backupKind)
    {
        const double Advert3 = 3.0;
        var settings = new VrrpSettings(2, Advert3, Password: Password);
        using var lan = new VrrpLan();
        string n1 = lan.AddNode(1);
        string n2 = lan.AddNode(2);
        string attacker = lan.AddNode(10);
        using var capture = new VrrpCapture(lan);
        using var backup = VrrpInteropTests.NewNode(backupKind, n2, 2, 100, settings);
        using var master = VrrpInteropTests.NewNode(masterKind, n1, 1, 150, settings);
        master.WaitState("MASTER", Start);
        VrrpInteropTests.Settle(master, backup);
        var attackStarted = DateTimeOffset.UtcNow;

        var group = VrrpConstants.VRRP_MCAST_GROUP4;
        var priorityZero = VrrpCodec.Encode(Advert(0), Attacker, group);
        var (attackerSocket, attackerIndex) = OpenAttacker(attacker);
        using var _ = attackerSocket;
        CapturedAdvert? answer = null;
        TimeSpan sinceRegular = default;
        // The forged advert must land early in the master's interval, so that an answer is told apart from the next
        // regular advert: send it right after a regular one is seen, and try again should seeing it have taken long.
        for (int attempt = 0; attempt < 5 && answer is null; attempt++)
        {
            var regular = capture.WaitFor(a => a.Source == "10.77.0.1" && a.Priority == 150, "a regular advert of the master", DateTimeOffset.UtcNow, TimeSpan.FromSeconds(10));
            PacketNative.SendTo(attackerSocket, priorityZero, group, attackerIndex);
            var sent = capture.WaitFor(a => a.Source == Attacker.ToString() && a.Priority == 0, "the forged priority 0", regular.At, TimeSpan.FromSeconds(10));
            if (sent.At - regular.At > TimeSpan.FromSeconds(Advert3 / 3))
            {
                // Seen too late: the master's next regular advert would be too close to tell apart. Try again.
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"attempt {attempt + 1}: forged priority 0 only {(sent.At - regular.At).TotalSeconds:0.000} s after the master's advert"));
                continue;
            }

            var next = capture.WaitFor(a => a.Source == "10.77.0.1" && a.Priority == 150, "the master's next advert", sent.At, TimeSpan.FromSeconds(10));
            answer = next;
            sinceRegular = next.At - regular.At;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{masterKind} master: forged priority 0 {(sent.At - regular.At).TotalSeconds:0.000} s after its advert, its next advert {(next.At - sent.At).TotalSeconds:0.000} s after the forged one ({sinceRegular.TotalSeconds:0.000} s after the previous; interval {Advert3} s)"));
        }

        Assert.NotNull(answer);
        Assert.True(sinceRegular < TimeSpan.FromSeconds(Advert3 * 2 / 3),
            $"the master answers a priority 0 at once, not at its next regular advert ({sinceRegular.TotalSeconds:0.000} s after the previous of a {Advert3} s interval)");
        VrrpInteropTests.Settle(master, backup);
        output.WriteLine($"{backupKind} backup took over in between: {backup.Entered("MASTER", attackStarted)}");
        Assert.False(master.Entered("BACKUP", attackStarted), "the master never leaves MASTER");
        Assert.True(VrrpLan.HasAddress(n1, Vip), "the master keeps the VIP");
        Assert.False(VrrpLan.HasAddress(n2, Vip));
    }

    private static VrrpAdvert Advert(byte priority) =>
        new(2, AddressFamily.InterNetwork, 51, priority, TimeSpan.FromSeconds(priority == 0 ? 3 : 1), new[] { IPAddress.Parse(Vip) }.ToValueList(), VrrpAuthType.SimpleText, VrrpPassword.Encode(Password));

    /// <summary>A raw VRRP socket in node 10's namespace (TTL 255, as a router's), with eth0's index there: opened once,
    /// so that sending is one system call (starting <c>ip</c> to look up the index takes most of a second emulated).</summary>
    private static (SafeSocketHandle Socket, int Index) OpenAttacker(string space)
    {
        int index = int.Parse(VrrpLan.Ip(space, "-o", "link", "show", "eth0").Split(':')[0], CultureInfo.InvariantCulture);
        var socket = LinuxNative.InNetworkNamespace("/run/netns/" + space, () => PacketNative.OpenVrrp(AddressFamily.InterNetwork, "eth0", index, Attacker, joinGroup: null));
        return (socket, index);
    }

    /// <summary>Sends <paramref name="count"/> copies of <paramref name="packet"/> from node 10, <paramref name="pause"/> apart.</summary>
    private static void Send(string space, int count, byte[] packet, IPAddress destination, TimeSpan pause)
    {
        var (socket, index) = OpenAttacker(space);
        using var _ = socket;
        for (int i = 0; i < count; i++)
        {
            PacketNative.SendTo(socket, packet, destination, index);
            Thread.Sleep(pause);
        }
    }

    private static void WaitForDrops(string status, string reason, int count)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            using (var json = VrrpWireTests.ReadStatus(status))
            {
                if (VrrpWireTests.DropCount(json, reason) >= count)
                {
                    return;
                }

                if (DateTimeOffset.UtcNow > deadline)
                {
                    throw new TimeoutException($"{count} drops counted as {reason} expected within 30 s; status: {json.RootElement.GetRawText()}");
                }
            }

            Thread.Sleep(200);
        }
    }
}
