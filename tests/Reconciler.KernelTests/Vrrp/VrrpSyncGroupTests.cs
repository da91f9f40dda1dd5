using System.Globalization;
using Reconciler.Topology.Model;
using Reconciler.Vrrp;
using TopologyModel = Reconciler.Topology.Model.Topology;

namespace Reconciler.KernelTests.Vrrp;

/// <summary>
/// keepalived's <c>vrrp_sync_group</c> in the lab: the NAT pair of an outside VIP (VI_OUT, VRID 51, 10.77.0.100) and an
/// inside gateway (VI_IN, VRID 52, 10.77.0.200) grouped on two directors, VRRPv2, advert 1 s, PASS "1111". The trigger
/// is a dummy interface <c>uplink</c> on each director, tracked with weight 0: taking it down faults its node's group.
/// The instances run as the agent runs them (<see cref="ServiceNode"/>); keepalived 2.2.7 runs the same group from its
/// own configuration. Each test waits for the whole outcome (states and where both VIPs are), never for a time.
/// </summary>
[Collection("vrrp-timing")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class VrrpSyncGroupTests(ITestOutputHelper output)
{
    private const string OutsideVip = "10.77.0.100";
    private const string InsideVip = "10.77.0.200";
    private static readonly TimeSpan Start = VrrpLan.StartTimeout;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30); // link poll + skew or master down (3.7 s) + emulation

    [Fact]
    public void Ours_OnlyTheInsideInstanceTracksTheUplink_ItGoingDownMovesBothToThePeer_AndBothReturn()
    {
        using var lan = new VrrpLan();
        var n1 = lan.AddNode(1);
        var n2 = lan.AddNode(2);
        AddUplink(n1);
        AddUplink(n2);
        var topology = Topology(lb1: 100, lb2: 80, groupTracksUplink: false);
        using var lb1 = new ServiceNode(n1, topology, "lb1");
        using var lb2 = new ServiceNode(n2, topology, "lb2");
        WaitUntil(() => Holds(lb1, n1, VrrpState.Master) && Holds(lb2, n2, VrrpState.Backup), "lb1 MASTER of both, lb2 BACKUP of both", Start, lb1, lb2);

        var down = DateTimeOffset.UtcNow;
        SetUplink(n1, up: false);
        WaitUntil(() => Holds(lb2, n2, VrrpState.Master) && Holds(lb1, n1, VrrpState.Fault), "lb2 MASTER of both, lb1 FAULT", Bound, lb1, lb2);
        var outsideFault = lb1.Transitions.Last(t => t.Transition.InstanceName == "VI_OUT" && t.Transition.To == VrrpState.Fault).Transition;
        Assert.Equal(VrrpTransitionReason.SyncGroup, outsideFault.Reason); // VI_OUT does not track the uplink itself
        Assert.All(lb1.Service.GetStatus(), s => Assert.Equal(VrrpState.Fault, s.SyncGroupState));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"uplink down on lb1: lb2 MASTER of both after {(LastEntered(lb2, VrrpState.Master) - down).TotalSeconds:0.000} s"));

        var up = DateTimeOffset.UtcNow;
        SetUplink(n1, up: true);
        WaitUntil(() => Holds(lb1, n1, VrrpState.Master) && Holds(lb2, n2, VrrpState.Backup), "lb1 MASTER of both again, lb2 BACKUP", Bound, lb1, lb2);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"uplink up on lb1: lb1 MASTER of both after {(LastEntered(lb1, VrrpState.Master) - up).TotalSeconds:0.000} s"));
    }

    [Fact]
    public void OursAgainstKeepalived_OurUplinkDown_KeepalivedTakesBoth_OurUplinkUp_WeTakeBothBack()
    {
        using var lan = new VrrpLan();
        var n1 = lan.AddNode(1);
        var n2 = lan.AddNode(2);
        AddUplink(n1);
        AddUplink(n2);
        using var lb1 = new ServiceNode(n1, Topology(lb1: 100, lb2: 80, groupTracksUplink: false), "lb1");
        using var keepalived = new KeepalivedNode(n2, KeepalivedConfiguration(n2, priority: 80, groupTracksUplink: false));
        WaitUntil(() => Holds(lb1, n1, VrrpState.Master) && KeepalivedHolds(keepalived, "BACKUP"), "ours MASTER of both, keepalived BACKUP of both", Start, lb1, keepalived);

        SetUplink(n1, up: false);
        WaitUntil(() => KeepalivedHolds(keepalived, "MASTER") && Holds(lb1, n1, VrrpState.Fault), "keepalived MASTER of both, ours FAULT", Bound, lb1, keepalived);

        SetUplink(n1, up: true);
        WaitUntil(() => Holds(lb1, n1, VrrpState.Master) && KeepalivedHolds(keepalived, "BACKUP"), "ours MASTER of both again, keepalived BACKUP", Bound, lb1, keepalived);
        Assert.Contains(keepalived.Process.Lines, l => l.Line.Contains("VRRP_Group(VG_1) Syncing instances to BACKUP state", StringComparison.Ordinal));
    }

    [Fact]
    public void KeepalivedAgainstOurs_TheGroupTracksTheUplink_KeepalivedsGoingDownGivesUsBoth_AndItTakesBothBack()
    {
        using var lan = new VrrpLan();
        var n1 = lan.AddNode(1);
        var n2 = lan.AddNode(2);
        AddUplink(n1);
        AddUplink(n2);
        using var keepalived = new KeepalivedNode(n2, KeepalivedConfiguration(n2, priority: 120, groupTracksUplink: true));
        using var lb1 = new ServiceNode(n1, Topology(lb1: 100, lb2: 120, groupTracksUplink: true), "lb1");
        WaitUntil(() => KeepalivedHolds(keepalived, "MASTER") && Holds(lb1, n1, VrrpState.Backup), "keepalived MASTER of both, ours BACKUP of both", Start, lb1, keepalived);

        // keepalived's group faults: both its masters send priority 0; our members both want MASTER and take both over.
        SetUplink(n2, up: false);
        WaitUntil(() => Holds(lb1, n1, VrrpState.Master) && KeepalivedHolds(keepalived, "FAULT"), "ours MASTER of both, keepalived FAULT", Bound, lb1, keepalived);

        // Back up, keepalived (120) preempts both: one of our members steps down for its advert and takes the other along.
        SetUplink(n2, up: true);
        WaitUntil(() => KeepalivedHolds(keepalived, "MASTER") && Holds(lb1, n1, VrrpState.Backup), "keepalived MASTER of both again, ours BACKUP", Bound, lb1, keepalived);
    }

    /// <summary>Both our instances in <paramref name="state"/>, and both VIPs on the node exactly when that is MASTER.</summary>
    private static bool Holds(ServiceNode node, string space, VrrpState state)
    {
        var statuses = node.Service.GetStatus();
        bool master = state == VrrpState.Master;
        return statuses.Count == 2 && statuses.All(s => s.State == state && (state != VrrpState.Backup || s.MasterAddress is not null))
            && VrrpLan.HasAddress(space, OutsideVip) == master && VrrpLan.HasAddress(space, InsideVip) == master;
    }

    private static bool KeepalivedHolds(KeepalivedNode node, string state)
    {
        bool master = state == "MASTER";
        return node.StateOf("VI_OUT") == state && node.StateOf("VI_IN") == state
            && VrrpLan.HasAddress(node.Space, OutsideVip) == master && VrrpLan.HasAddress(node.Space, InsideVip) == master;
    }

    private static DateTimeOffset LastEntered(ServiceNode node, VrrpState state) => node.Transitions.Where(t => t.Transition.To == state).Max(t => t.At);

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

    private static string Describe(IVrrpNode node) => node switch
    {
        ServiceNode ours => $"ours in {ours.Space}: " + string.Join(", ", ours.Transitions.Select(t => $"{t.Transition.InstanceName} {t.Transition.From}->{t.Transition.To} ({t.Transition.Reason})"))
            + $"; addresses: {VrrpLan.Ip(ours.Space, "-o", "-4", "addr", "show", "dev", "eth0").ReplaceLineEndings(" | ")}",
        KeepalivedNode keepalived => $"keepalived in {keepalived.Space}: VI_OUT {keepalived.StateOf("VI_OUT")}, VI_IN {keepalived.StateOf("VI_IN")}"
            + $"; addresses: {VrrpLan.Ip(keepalived.Space, "-o", "-4", "addr", "show", "dev", "eth0").ReplaceLineEndings(" | ")}",
        _ => node.Kind,
    };

    private static void AddUplink(string space)
    {
        VrrpLan.Ip(space, "link", "add", "uplink", "type", "dummy");
        SetUplink(space, up: true);
    }

    private static void SetUplink(string space, bool up) => VrrpLan.Ip(space, "link", "set", "uplink", up ? "up" : "down");

    private static TopologyModel Topology(int lb1, int lb2, bool groupTracksUplink)
    {
        string P(int priority) => priority.ToString(CultureInfo.InvariantCulture);
        var topology = LabTopology.Load($$"""
            nodes:
              - {name: lb1, addresses: [10.77.0.1], interfaces: [eth0, uplink]}
              - {name: lb2, addresses: [10.77.0.2], interfaces: [eth0, uplink]}
            vrrpInstances:
              - name: VI_OUT
                interface: eth0
                virtualRouterId: 51
                priorities: {lb1: {{P(lb1)}}, lb2: {{P(lb2)}}}
                authentication: {password: "1111"}
                virtualAddresses: [{{OutsideVip}}/24]
              - name: VI_IN
                interface: eth0
                virtualRouterId: 52
                priorities: {lb1: {{P(lb1)}}, lb2: {{P(lb2)}}}
                authentication: {password: "1111"}
                virtualAddresses: [{{InsideVip}}/24]
            {{(groupTracksUplink ? "" : "    trackInterfaces: [{interface: uplink}]\n")}}
            """);
        ValueList<TrackedInterface> uplink = [new TrackedInterface("uplink", 0)];
        return topology with { SyncGroups = [new VrrpSyncGroup("VG_1", ["VI_OUT", "VI_IN"], [], groupTracksUplink ? uplink : [], null, false)] };
    }

    private static string KeepalivedConfiguration(string space, int priority, bool groupTracksUplink)
    {
        string track = "    track_interface {\n        uplink\n    }\n";
        string Instance(string name, int vrid, string vip, bool tracks) => $$"""
            vrrp_instance {{name}} {
                state BACKUP
                interface eth0
                virtual_router_id {{vrid.ToString(CultureInfo.InvariantCulture)}}
                priority {{priority.ToString(CultureInfo.InvariantCulture)}}
                advert_int 1
                authentication {
                    auth_type PASS
                    auth_pass 1111
                }
                virtual_ipaddress {
                    {{vip}}/24 dev eth0
                }
            {{(tracks ? track : "")}}}

            """;
        return $$"""
            global_defs {
                router_id {{space}}
            }
            vrrp_sync_group VG_1 {
                group {
                    VI_OUT
                    VI_IN
                }
            {{(groupTracksUplink ? track : "")}}}

            """ + Instance("VI_OUT", 51, OutsideVip, tracks: false) + Instance("VI_IN", 52, InsideVip, tracks: !groupTracksUplink);
    }
}
