using System.Net;
using Reconciler.Topology.Model;

namespace Reconciler.Vrrp.Tests.Router;

/// <summary>
/// keepalived's <c>vrrp_sync_group</c> on a simulated link: two nodes, each running the same two instances (VI_OUT
/// VRID 51, VI_IN VRID 52) as one group. Node A has priority 100, node B 80.
/// </summary>
public sealed class VrrpSyncGroupTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    [Fact]
    public void Start_TheGroupComesUpTogether_MastersOnTheHigherNode_BackupsOnTheOther()
    {
        var lab = new TwoNodes();
        lab.StartAll();
        lab.Network.Run(Settle);

        Assert.Equal([VrrpState.Master, VrrpState.Master], lab.StatesOf(lab.A));
        Assert.Equal([VrrpState.Backup, VrrpState.Backup], lab.StatesOf(lab.B));
        Assert.Equal(VrrpState.Master, lab.A.Group.State);
        Assert.Equal(VrrpState.Backup, lab.B.Group.State);
        Assert.Equal([new VrrpSyncGroupTransition("VG", VrrpState.Initialize, VrrpState.Backup), new VrrpSyncGroupTransition("VG", VrrpState.Backup, VrrpState.Master)], lab.A.GroupHost.Transitions);
    }

    [Fact]
    public void OneMemberFaults_TheOtherFollowsIntoFault_ThePeerTakesBothOver_ThenBothComeBack()
    {
        var lab = new TwoNodes(trackUplinkOnInside: true);
        lab.StartAll();
        lab.Network.Run(Settle);

        // Only VI_IN tracks the uplink; VI_OUT goes to FAULT with it because they are one group.
        lab.A.Inside.SetInterfaceState("uplink", up: false);
        Assert.Equal(VrrpState.Fault, lab.A.Inside.State);
        Assert.Equal(VrrpState.Fault, lab.A.Outside.State);
        var outsideFault = lab.Network.TransitionsOf(lab.A.Outside)[^1];
        Assert.Equal(VrrpTransitionReason.SyncGroup, outsideFault.Reason);
        Assert.Equal(VrrpTransitionReason.Fault, lab.Network.TransitionsOf(lab.A.Inside)[^1].Reason);

        // Both left MASTER with priority 0 (as a lone instance going to FAULT does), so B takes over after its skew time.
        Assert.Equal(0, lab.Network.AdvertPrioritiesOf(lab.A.Outside)[^1]);
        Assert.Equal(0, lab.Network.AdvertPrioritiesOf(lab.A.Inside)[^1]);
        lab.Network.Run(TimeSpan.FromSeconds(2));
        Assert.Equal([VrrpState.Master, VrrpState.Master], lab.StatesOf(lab.B));
        Assert.Equal(VrrpState.Fault, lab.A.Group.State);
        Assert.Equal(VrrpState.Master, lab.B.Group.State);

        // The uplink returns: A comes up as BACKUP, both members preempt B (100 > 80) together.
        lab.A.Inside.SetInterfaceState("uplink", up: true);
        Assert.Equal([VrrpState.Backup, VrrpState.Backup], lab.StatesOf(lab.A));
        lab.Network.Run(Settle);
        Assert.Equal([VrrpState.Master, VrrpState.Master], lab.StatesOf(lab.A));
        Assert.Equal([VrrpState.Backup, VrrpState.Backup], lab.StatesOf(lab.B));
    }

    [Fact]
    public void WithoutTheGroup_TheSameFaultMovesOnlyTheInstanceThatTracksIt()
    {
        // The control for the test above: the same link and fault, no group.
        var lab = new TwoNodes(trackUplinkOnInside: true, grouped: false);
        lab.StartAll();
        lab.Network.Run(Settle);

        lab.A.Inside.SetInterfaceState("uplink", up: false);
        lab.Network.Run(TimeSpan.FromSeconds(2));
        Assert.Equal(VrrpState.Master, lab.A.Outside.State);
        Assert.Equal(VrrpState.Master, lab.B.Inside.State);
        Assert.Equal(VrrpState.Backup, lab.B.Outside.State);
    }

    [Fact]
    public void OneMemberWantsMaster_WhileTheOtherStillHearsItsMaster_ItWaitsAsBackup_UntilBothWant()
    {
        var lab = new TwoNodes();
        lab.StartAll();
        lab.Network.Run(Settle);

        // A's VI_OUT alone stops (priority 0): B's VI_OUT wants MASTER after its skew time, but B's VI_IN still hears
        // A's VI_IN advertising, so B's VI_OUT waits as BACKUP rather than split the group over two nodes.
        lab.A.Outside.Stop();
        lab.Network.Run(TimeSpan.FromSeconds(15));
        Assert.Equal(VrrpState.Backup, lab.B.Outside.State);
        Assert.True(lab.B.Outside.WantsMaster);
        Assert.False(lab.B.Inside.WantsMaster);
        Assert.Equal(VrrpState.Master, lab.A.Inside.State);

        // A's VI_IN stops too: now both of B's members want MASTER, and the last to want it takes both over.
        lab.A.Inside.Stop();
        lab.Network.Run(TimeSpan.FromSeconds(2));
        Assert.Equal([VrrpState.Master, VrrpState.Master], lab.StatesOf(lab.B));
        Assert.False(lab.B.Outside.WantsMaster);
        Assert.Equal(VrrpState.Stopped, lab.A.Group.State);
        Assert.Equal(VrrpState.Master, lab.B.Group.State);
    }

    [Fact]
    public void UnevenPriorities_OnlyOneMemberMayPreempt_TheNodeWaits_AndNothingReelects()
    {
        // keepalived's warning case: B beats A on VI_OUT only (80 + 50 = 130 > 100) but not on VI_IN (80). B's VI_OUT
        // wants MASTER; taking B's VI_IN along would make it preempted at once, and so on forever. B waits instead.
        var lab = new TwoNodes(boostOnB: true);
        lab.StartAll();
        lab.Network.Run(Settle);
        lab.B.Outside.SetCheckState("boost", up: true);
        lab.B.Inside.SetCheckState("boost", up: false);
        lab.Network.Run(Settle);
        var transitions = lab.A.Members.Concat(lab.B.Members).Sum(m => lab.Network.TransitionsOf(m).Count);

        lab.Network.Run(TimeSpan.FromSeconds(30));
        Assert.Equal([VrrpState.Master, VrrpState.Master], lab.StatesOf(lab.A));
        Assert.Equal([VrrpState.Backup, VrrpState.Backup], lab.StatesOf(lab.B));
        Assert.True(lab.B.Outside.WantsMaster);
        Assert.Equal(transitions, lab.A.Members.Concat(lab.B.Members).Sum(m => lab.Network.TransitionsOf(m).Count));
    }

    [Fact]
    public void OneMemberStepsDown_ForABetterAdvert_TakesTheOtherMasterDownWithIt()
    {
        // B's group tracks a check with weight +50 for both members: while it is up B advertises 130 on both and preempts.
        var lab = new TwoNodes(boostOnB: true);
        lab.StartAll();
        lab.Network.Run(Settle);
        Assert.Equal([VrrpState.Master, VrrpState.Master], lab.StatesOf(lab.A));

        // The edge runs a group's check for each member; both results arrive before the next advert.
        lab.B.Outside.SetCheckState("boost", up: true);
        lab.B.Inside.SetCheckState("boost", up: true);
        Assert.Equal(130, lab.B.Inside.EffectivePriority);
        lab.Network.Run(Settle);

        Assert.Equal([VrrpState.Master, VrrpState.Master], lab.StatesOf(lab.B));
        Assert.Equal([VrrpState.Backup, VrrpState.Backup], lab.StatesOf(lab.A));

        // B's VI_OUT advert reached A first: A's VI_OUT stepped down for it and took A's VI_IN along before B's VI_IN
        // advert arrived, without a priority-0 advert (B is taking over, not losing a master).
        var outside = lab.Network.TransitionsOf(lab.A.Outside)[^1];
        var inside = lab.Network.TransitionsOf(lab.A.Inside)[^1];
        Assert.Equal(VrrpTransitionReason.HigherPriorityAdvert, outside.Reason);
        Assert.Equal(VrrpTransitionReason.SyncGroup, inside.Reason);
        Assert.DoesNotContain((byte)0, lab.Network.AdvertPrioritiesOf(lab.A.Inside));
    }

    [Fact]
    public void MembersWaitForEachOther_InInitialize_UntilEveryOneHasStarted()
    {
        var lab = new TwoNodes();
        lab.A.Outside.Start();
        lab.Network.Run(Settle);
        Assert.Equal(VrrpState.Initialize, lab.A.Outside.State);

        lab.A.Inside.Start();
        Assert.Equal([VrrpState.Backup, VrrpState.Backup], lab.StatesOf(lab.A));
    }

    [Fact]
    public void AnAbandonedMember_NoLongerHoldsTheOthersInInitialize()
    {
        var network = new FakeNetwork();
        var groupHost = new RecordingGroupHost();
        var group = new VrrpSyncGroupCoordinator("VG", ["VI_OUT", "VI_IN"], groupHost);
        var outside = network.Add(TwoNodes.Config("VI_OUT", 51, 100, "10.0.0.1"), group);
        outside.Start();
        Assert.Equal(VrrpState.Initialize, outside.State);

        group.Abandon("VI_IN");
        Assert.Equal(VrrpState.Backup, outside.State);
        network.Run(Settle);
        Assert.Equal(VrrpState.Master, outside.State);
        Assert.Equal(VrrpState.Master, group.State);
    }

    [Fact]
    public void AddressOwners_InAGroup_BecomeMasterTogether()
    {
        var lab = new TwoNodes(priorityA: 255);
        lab.StartAll();

        Assert.Equal([VrrpState.Master, VrrpState.Master], lab.StatesOf(lab.A));
        Assert.All(lab.A.Members, m => Assert.Equal(VrrpTransitionReason.AddressOwner, lab.Network.TransitionsOf(m)[^1].Reason));
    }

    [Fact]
    public void AWeightZeroCheckWithoutAResult_HoldsTheWholeGroupInInitialize()
    {
        var lab = new TwoNodes(gateOnInside: true);
        lab.StartAll();
        lab.Network.Run(Settle);
        Assert.Equal([VrrpState.Initialize, VrrpState.Initialize], lab.StatesOf(lab.A));

        lab.A.Inside.SetCheckState("gate", up: true);
        Assert.Equal([VrrpState.Backup, VrrpState.Backup], lab.StatesOf(lab.A));
    }

    [Fact]
    public void AHostCallbackThatCallsAnotherMember_IsRefused_AsACallIntoItself_Would()
    {
        var lab = new TwoNodes(trackUplinkOnInside: true);
        lab.Network.HookTransitions(lab.A.Outside, _ => lab.A.Inside.SetInterfaceState("uplink", up: true));
        lab.StartAll();

        var error = Assert.Single(lab.Network.HostErrorsOf(lab.A.Outside));
        Assert.Equal(nameof(IVrrpRouterHost.OnTransition), error.Operation);
        Assert.IsType<InvalidOperationException>(error.Exception);
    }

    [Fact]
    public void StoppingEveryMember_ReportsTheGroupStopped()
    {
        var lab = new TwoNodes();
        lab.StartAll();
        lab.Network.Run(Settle);

        lab.A.Outside.Stop();
        Assert.Equal(VrrpState.Master, lab.A.Group.State);
        lab.A.Inside.Stop();
        Assert.Equal(new VrrpSyncGroupTransition("VG", VrrpState.Master, VrrpState.Stopped), lab.A.GroupHost.Transitions[^1]);
    }

    [Fact]
    public void ARouterThatIsNotAMember_CannotJoin()
    {
        var group = new VrrpSyncGroupCoordinator("VG", ["VI_OUT", "VI_IN"], new RecordingGroupHost());
        var network = new FakeNetwork();
        network.Add(TwoNodes.Config("VI_OUT", 51, 100, "10.0.0.1"), group);

        Assert.Throws<ArgumentException>(() => network.Add(TwoNodes.Config("VI_OTHER", 53, 100, "10.0.0.1"), group));
        Assert.Throws<ArgumentException>(() => network.Add(TwoNodes.Config("VI_OUT", 51, 100, "10.0.0.1"), group));
    }

    [Fact]
    public void GroupNotifyArguments_AreKeepalivedsWithPriorityZero()
    {
        Assert.Equal(["GROUP", "VG", "MASTER", "0"], new VrrpSyncGroupTransition("VG", VrrpState.Backup, VrrpState.Master).NotifyArguments);
        Assert.Equal(["GROUP", "VG", "STOP", "0"], new VrrpSyncGroupTransition("VG", VrrpState.Master, VrrpState.Stopped).NotifyArguments);
        Assert.Empty(new VrrpSyncGroupTransition("VG", VrrpState.Stopped, VrrpState.Initialize).NotifyArguments);
    }

    /// <summary>Records the group's transitions.</summary>
    private sealed class RecordingGroupHost : IVrrpSyncGroupHost
    {
        public List<VrrpSyncGroupTransition> Transitions { get; } = [];

        public void OnTransition(VrrpSyncGroupTransition transition) => Transitions.Add(transition);

        public void OnHostError(string operation, Exception exception) => throw new InvalidOperationException(operation, exception);
    }

    private sealed record Node(VrrpRouter Outside, VrrpRouter Inside, VrrpSyncGroupCoordinator Group, RecordingGroupHost GroupHost)
    {
        public IReadOnlyList<VrrpRouter> Members => [Outside, Inside];
    }

    /// <summary>Nodes A (10.0.0.1) and B (10.0.0.2), each with VI_OUT and VI_IN in group VG (unless not grouped).</summary>
    private sealed class TwoNodes
    {
        public TwoNodes(bool trackUplinkOnInside = false, bool grouped = true, bool boostOnB = false, int priorityA = 100, bool gateOnInside = false)
        {
            A = AddNode("10.0.0.1", priorityA, trackUplinkOnInside, grouped, boost: false, gateOnInside);
            B = AddNode("10.0.0.2", 80, trackUplink: false, grouped, boostOnB, gate: false);
        }

        public FakeNetwork Network { get; } = new();

        public Node A { get; }

        public Node B { get; }

        public static VrrpRouterConfig Config(string name, byte vrid, int priority, string self) =>
            new(name, "eth0", vrid, 2, System.Net.Sockets.AddressFamily.InterNetwork, TimeSpan.FromSeconds(1), priority, true, TimeSpan.Zero,
                IPAddress.Parse(self), [], [new InterfaceAddress(IPAddress.Parse($"192.168.{vrid}.1"), 24)], [], [], null, GratuitousArp.Default);

        public IReadOnlyList<VrrpState> StatesOf(Node node) => [node.Outside.State, node.Inside.State];

        public void StartAll()
        {
            foreach (var router in A.Members.Concat(B.Members))
            {
                router.Start();
            }
        }

        private Node AddNode(string self, int priority, bool trackUplink, bool grouped, bool boost, bool gate)
        {
            var host = new RecordingGroupHost();
            var group = new VrrpSyncGroupCoordinator("VG", ["VI_OUT", "VI_IN"], host);
            // Group-level tracking reaches every member (VrrpRouterConfig.FromTopology merges it in): both get the boost.
            ValueList<VrrpTrackedCheck> boostCheck = boost ? [new VrrpTrackedCheck("boost", 50)] : [];
            var outside = Config("VI_OUT", 51, priority, self) with { TrackedChecks = boostCheck };
            var inside = Config("VI_IN", 52, priority, self) with
            {
                TrackedChecks = [.. boostCheck, .. gate ? [new VrrpTrackedCheck("gate", 0)] : Array.Empty<VrrpTrackedCheck>()],
                TrackedInterfaces = trackUplink ? [new VrrpTrackedInterface("uplink", 0)] : [],
            };
            return new Node(Network.Add(outside, grouped ? group : null), Network.Add(inside, grouped ? group : null), group, host);
        }
    }
}

/// <summary>Seeded random walks over two grouped nodes: whatever the links, checks and timing do, a node's running
/// members are never split between MASTER and anything else once a step is over.</summary>
public sealed class VrrpSyncGroupRandomWalkTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void RandomInputs_NeverSplitAGroup(int seed)
    {
        var random = new Random(seed);
        var network = new FakeNetwork();
        var nodes = new List<(VrrpSyncGroupCoordinator Group, VrrpRouter[] Members)>();
        foreach (var (self, priority) in new[] { ("10.0.0.1", random.Next(1, 255)), ("10.0.0.2", random.Next(1, 255)) })
        {
            var group = new VrrpSyncGroupCoordinator("VG", ["VI_OUT", "VI_IN"], new NullGroupHost());
            VrrpRouter Member(string name, byte vrid) => network.Add(TwoNodeConfig(name, vrid, priority, self) with
            {
                Preempt = random.Next(3) != 0,
                TrackedChecks = [new VrrpTrackedCheck("gate", 0), new VrrpTrackedCheck("boost", random.Next(-60, 60))],
                TrackedInterfaces = [new VrrpTrackedInterface("uplink", 0)],
            }, group);
            nodes.Add((group, [Member("VI_OUT", 51), Member("VI_IN", 52)]));
        }

        foreach (var member in nodes.SelectMany(n => n.Members))
        {
            member.SetCheckState("gate", true);
            member.Start();
        }

        for (var step = 0; step < 1500; step++)
        {
            var node = nodes[random.Next(nodes.Count)];
            var member = node.Members[random.Next(node.Members.Length)];
            switch (random.Next(100))
            {
                case < 60:
                    network.Run(TimeSpan.FromMilliseconds(random.Next(1, 2500)));
                    break;
                case < 75:
                    member.SetInterfaceState(random.Next(2) == 0 ? "uplink" : "eth0", random.Next(3) != 0);
                    break;
                case < 95:
                    // The edge runs a group's check for each member; here each member's result may differ for a while.
                    member.SetCheckState(random.Next(2) == 0 ? "gate" : "boost", random.Next(3) != 0);
                    break;
                default:
                    // Quiet: nothing changes, so after a master down interval or two the nodes settle and stay. A node
                    // whose members want MASTER unevenly waits as BACKUP; taking over anyway would re-elect forever.
                    network.Run(TimeSpan.FromSeconds(8));
                    var settled = nodes.SelectMany(n => n.Members).Select(m => network.TransitionsOf(m).Count).ToList();
                    network.Run(TimeSpan.FromSeconds(8));
                    Assert.True(settled.SequenceEqual(nodes.SelectMany(n => n.Members).Select(m => network.TransitionsOf(m).Count)),
                        $"seed {seed} step {step}: transitions went on with nothing changing: "
                        + string.Join(", ", nodes.SelectMany(n => n.Members).Select(m => $"{m.Config.PrimaryAddress} {m.Config.InstanceName} {m.State} {m.EffectivePriority}")));
                    break;
            }

            foreach (var (group, members) in nodes)
            {
                var states = members.Select(m => m.State).ToList();
                Assert.False(states.Contains(VrrpState.Master) && states.Any(s => s != VrrpState.Master),
                    $"seed {seed} step {step}: the group is split: {string.Join(", ", members.Select(m => $"{m.Config.InstanceName} {m.State}"))}");
                Assert.Equal(states.Contains(VrrpState.Fault), group.State == VrrpState.Fault);
            }
        }
    }

    private static VrrpRouterConfig TwoNodeConfig(string name, byte vrid, int priority, string self) =>
        new(name, "eth0", vrid, 2, System.Net.Sockets.AddressFamily.InterNetwork, TimeSpan.FromSeconds(1), priority, true, TimeSpan.Zero,
            System.Net.IPAddress.Parse(self), [], [new InterfaceAddress(System.Net.IPAddress.Parse($"192.168.{vrid}.1"), 24)], [], [], null, GratuitousArp.Default);

    private sealed class NullGroupHost : IVrrpSyncGroupHost
    {
        public void OnTransition(VrrpSyncGroupTransition transition)
        {
        }

        public void OnHostError(string operation, Exception exception) => throw new InvalidOperationException(operation, exception);
    }
}
