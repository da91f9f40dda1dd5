using System.Globalization;
using Reconciler.KernelTests.Infrastructure;
using Reconciler.Vrrp;
using TopologyModel = Reconciler.Topology.Model.Topology;

namespace Reconciler.KernelTests.Vrrp;

/// <summary>
/// keepalived's <c>use_vmac</c> in the lab: VI_1 (VRID 51, VRRPv2, advert 1 s, VIP 10.77.0.100/24) on a macvlan
/// <c>vrrp.51</c> with the virtual MAC 00:00:5e:00:01:33, the segment watched by <c>tcpdump -e</c> on its bridge and a
/// client (node 9) that pings the VIP. The trigger for a failover is a dummy interface <c>uplink</c> tracked with
/// weight 0 on our node. Every step waits for its outcome (a packet, a state, a reply), never for a time.
/// </summary>
[Collection("vrrp-timing")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class VrrpVmacTests(ITestOutputHelper output)
{
    private const string Vip = "10.77.0.100";
    private const string Vmac = "vrrp.51";
    private const string VirtualMac = "00:00:5e:00:01:33";
    private static readonly TimeSpan Start = VrrpLan.StartTimeout;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30); // link poll + master down (3.6 s) + emulation

    [Fact]
    public void Ours_MasterAdvertsFromTheVirtualMac_VipOnTheVmac_ClientArpsTheVirtualMac_VmacRepairedOrFault_GoesWithTheInstance()
    {
        using var lan = new VrrpLan();
        var n1 = lan.AddNode(1);
        var n2 = lan.AddNode(2);
        var client = lan.AddNode(9);
        using var capture = LabProcess.Start(lan.Bridge, "tcpdump", "-i", "br0", "-e", "-l", "-n", "ip proto 112");
        capture.WaitForLine("listening on", TimeSpan.FromSeconds(30));
        var topology = Topology(lb1: 100, lb2: 80);
        var baseSysctls = BaseSysctls(n1);
        ServiceNode? lb1 = new ServiceNode(n1, topology, "lb1");
        try
        {
            using var lb2 = new ServiceNode(n2, topology, "lb2");
            WaitUntil(() => Holds(lb1, n1, VrrpState.Master) && Holds(lb2, n2, VrrpState.Backup), "lb1 MASTER with the VIP on its vmac, lb2 BACKUP", Start, lb1, lb2);

            // The master's adverts leave from the virtual MAC, with its own address as IP source.
            capture.WaitForLine(l => l.Contains($"{VirtualMac} > 01:00:5e:00:00:12", StringComparison.Ordinal) && l.Contains("10.77.0.1 > 224.0.0.18", StringComparison.Ordinal)
                && l.Contains("vrid 51, prio 100", StringComparison.Ordinal), "an advert of lb1 from the virtual MAC", Bound);
            Assert.Contains($"link/ether {VirtualMac}", VrrpLan.Ip(n1, "-o", "link", "show", Vmac), StringComparison.Ordinal);
            Assert.EndsWith("vrrp.51:vip", VrrpLan.Ip(n1, "-o", "-4", "addr", "show", "dev", Vmac).Split('\\')[0].Trim(), StringComparison.Ordinal); // the label
            Assert.Equal("1", Sysctl(n1, $"net/ipv4/conf/{Vmac}/arp_ignore"));
            Assert.Equal("1 1 2", BaseSysctls(n1));

            // A client asking for the VIP is answered from the virtual MAC (the base eth0 does not answer for it).
            Lab.Run("ip", "-n", client, "neigh", "flush", "all");
            WaitForPing(client);
            Assert.Contains($"lladdr {VirtualMac}", VrrpLan.Ip(client, "neigh", "show", Vip), StringComparison.Ordinal);

            // Someone sets the vmac down: the agent sets it up again, and lb1 stays MASTER throughout.
            VrrpLan.Ip(n1, "link", "set", Vmac, "down");
            WaitUntil(() => VrrpLan.Ip(n1, "-o", "link", "show", Vmac).Contains(",UP,", StringComparison.Ordinal), "lb1's vmac up again", Bound, lb1);
            Assert.DoesNotContain(lb1.Transitions, t => t.Transition.From == VrrpState.Master);

            // lb1 stops: lb2 takes over, and lb1's vmac is gone with its instance, the base's ARP sysctls put back.
            lb1.Dispose();
            lb1 = null;
            WaitUntil(() => Holds(lb2, n2, VrrpState.Master), "lb2 MASTER after lb1 stopped", Bound, lb2);
            Assert.NotEqual(0, Lab.Run("ip", "-n", n1, "link", "show", Vmac).ExitCode);
            Assert.Equal(baseSysctls, BaseSysctls(n1));
            WaitForPing(client);
            Assert.Contains($"lladdr {VirtualMac}", VrrpLan.Ip(client, "neigh", "show", Vip), StringComparison.Ordinal);

            // Someone deletes lb2's vmac: its instance has no interface left for the VIP, and goes to FAULT.
            VrrpLan.Ip(n2, "link", "del", Vmac);
            WaitUntil(() => lb2.Status.State == VrrpState.Fault, "lb2 FAULT once its vmac is gone", Bound, lb2);
        }
        finally
        {
            lb1?.Dispose();
        }
    }

    [Fact]
    public void OursAgainstKeepalived_BothUseVmac_FailoverBothWays_TheClientSeesTheVirtualMacThroughout()
    {
        using var lan = new VrrpLan();
        var n1 = lan.AddNode(1);
        var n2 = lan.AddNode(2);
        var client = lan.AddNode(9);
        VrrpLan.Ip(n1, "link", "add", "uplink", "type", "dummy");
        VrrpLan.Ip(n1, "link", "set", "uplink", "up");
        using var capture = LabProcess.Start(lan.Bridge, "tcpdump", "-i", "br0", "-e", "-l", "-n", "ip proto 112");
        capture.WaitForLine("listening on", TimeSpan.FromSeconds(30));
        using var keepalived = new KeepalivedNode(n2, KeepalivedConfiguration(n2, priority: 80));
        using var lb1 = new ServiceNode(n1, Topology(lb1: 100, lb2: 80, tracksUplink: true), "lb1");
        WaitUntil(() => Holds(lb1, n1, VrrpState.Master) && KeepalivedHolds(keepalived, "BACKUP"), "ours MASTER, keepalived BACKUP", Start, lb1, keepalived);
        Lab.Run("ip", "-n", client, "neigh", "flush", "all");
        WaitForPing(client);
        Assert.Contains($"lladdr {VirtualMac}", VrrpLan.Ip(client, "neigh", "show", Vip), StringComparison.Ordinal);
        Assert.Contains("dev p1 ", Fdb(lan), StringComparison.Ordinal);

        // Ours faults: keepalived takes over; its adverts leave from the same virtual MAC, the switch moves the MAC to
        // its port, and the client reaches the VIP through the entry it has. (The entry is read before the ping:
        // keepalived leaves arp_announce at 0, so its node, answering the ping out of eth0, asks for the client's MAC
        // naming the VIP and teaches the client eth0's MAC; the agent sets arp_announce=2 on the base against that.)
        var down = DateTimeOffset.UtcNow;
        VrrpLan.Ip(n1, "link", "set", "uplink", "down");
        WaitUntil(() => KeepalivedHolds(keepalived, "MASTER") && Holds(lb1, n1, VrrpState.Fault), "keepalived MASTER, ours FAULT", Bound, lb1, keepalived);
        capture.WaitForLine(l => l.Contains($"{VirtualMac} > 01:00:5e:00:00:12", StringComparison.Ordinal) && l.Contains("10.77.0.2 > 224.0.0.18", StringComparison.Ordinal),
            "an advert of keepalived from the virtual MAC", Bound, down);
        WaitUntil(() => Fdb(lan).Contains("dev p2 ", StringComparison.Ordinal), "the virtual MAC learnt on keepalived's port", Bound, lb1, keepalived);
        Assert.Contains($"lladdr {VirtualMac}", VrrpLan.Ip(client, "neigh", "show", Vip), StringComparison.Ordinal);
        WaitForPing(client);

        // Back up: ours (100) preempts keepalived (80), and the MAC moves back.
        VrrpLan.Ip(n1, "link", "set", "uplink", "up");
        WaitUntil(() => Holds(lb1, n1, VrrpState.Master) && KeepalivedHolds(keepalived, "BACKUP"), "ours MASTER again, keepalived BACKUP", Bound, lb1, keepalived);
        WaitUntil(() => Fdb(lan).Contains("dev p1 ", StringComparison.Ordinal), "the virtual MAC learnt on our port again", Bound, lb1, keepalived);
        WaitForPing(client);
        Assert.Contains($"lladdr {VirtualMac}", VrrpLan.Ip(client, "neigh", "show", Vip), StringComparison.Ordinal);
        output.WriteLine(VrrpLan.Ip(client, "neigh", "show", Vip));
    }

    /// <summary>The instance in <paramref name="state"/>, and the VIP on the node's vmac exactly when that is MASTER.</summary>
    private static bool Holds(ServiceNode node, string space, VrrpState state)
    {
        var status = node.Status;
        return status.State == state && (state != VrrpState.Backup || status.MasterAddress is not null) && HasVip(space) == (state == VrrpState.Master);
    }

    private static bool KeepalivedHolds(KeepalivedNode node, string state) => node.StateOf("VI_1") == state && HasVip(node.Space) == (state == "MASTER");

    private static bool HasVip(string space)
    {
        var result = Lab.Run("ip", "-n", space, "-o", "-4", "addr", "show", "dev", Vmac);
        return result.ExitCode == 0 && result.Output.Contains(" " + Vip + "/", StringComparison.Ordinal);
    }

    /// <summary>Where the bridge has learnt the virtual MAC (<c>... dev pN master br0</c>).</summary>
    private static string Fdb(VrrpLan lan) => Lab.Run("bridge", "-n", lan.Bridge, "fdb", "show", "br", "br0").Output
        .Split('\n').FirstOrDefault(l => l.StartsWith(VirtualMac, StringComparison.Ordinal)) ?? "";

    /// <summary>arp_ignore, arp_filter and arp_announce of the node's eth0.</summary>
    private static string BaseSysctls(string space) =>
        string.Join(' ', new[] { "arp_ignore", "arp_filter", "arp_announce" }.Select(name => Sysctl(space, "net/ipv4/conf/eth0/" + name)));

    private static string Sysctl(string space, string path) => Lab.Run("ip", "netns", "exec", space, "cat", "/proc/sys/" + path).Check("read " + path).Trim();

    /// <summary>Pings the VIP from the client until one reply comes back (each ping waits 1 s for its reply).</summary>
    private static void WaitForPing(string client)
    {
        var deadline = DateTimeOffset.UtcNow + Bound;
        while (Lab.Run("ip", "netns", "exec", client, "ping", "-n", "-c", "1", "-W", "1", Vip).ExitCode != 0)
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"no reply from {Vip} within {Bound.TotalSeconds:0} s; client neighbours: {VrrpLan.Ip(client, "neigh")}");
            }
        }
    }

    private static void WaitUntil(Func<bool> condition, string what, TimeSpan timeout, params IVrrpNode[] nodes)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"not within {timeout.TotalSeconds:0} s: {what}; " + string.Join("; ", nodes.Select(Describe)));
            }

            Thread.Sleep(100);
        }
    }

    private static string Describe(IVrrpNode node)
    {
        var transitions = node is ServiceNode ours
            ? ": " + string.Join(", ", ours.Transitions.Select(t => $"{t.Transition.From}->{t.Transition.To} ({t.Transition.Reason})"))
            : $": {node.CurrentState}";
        var links = Lab.Run("ip", "-n", node.Space, "-o", "addr", "show").Output.ReplaceLineEndings(" | ");
        return $"{node.Kind} in {node.Space}{transitions}; addresses: {links}";
    }

    private static TopologyModel Topology(int lb1, int lb2, bool tracksUplink = false)
    {
        string P(int priority) => priority.ToString(CultureInfo.InvariantCulture);
        return LabTopology.Load($$"""
            nodes:
              - {name: lb1, addresses: [10.77.0.1], interfaces: [eth0, uplink]}
              - {name: lb2, addresses: [10.77.0.2], interfaces: [eth0, uplink]}
            vrrpInstances:
              - name: VI_1
                interface: eth0
                virtualRouterId: 51
                priorities: {lb1: {{P(lb1)}}, lb2: {{P(lb2)}}}
                virtualAddresses: [{{Vip}}/24]
                virtualAddressLabels: {"{{Vip}}": "vrrp.51:vip"}
                vmac: {}
            {{(tracksUplink ? "    trackInterfaces: [{interface: uplink}]\n" : "")}}
            """);
    }

    private static string KeepalivedConfiguration(string space, int priority) => $$"""
        global_defs {
            router_id {{space}}
        }
        vrrp_instance VI_1 {
            state BACKUP
            interface eth0
            use_vmac
            virtual_router_id 51
            priority {{priority.ToString(CultureInfo.InvariantCulture)}}
            advert_int 1
            virtual_ipaddress {
                {{Vip}}/24
            }
        }

        """;
}
