using System.Net;
using System.Net.Sockets;
using Reconciler.Topology.Model;
using TopologyModel = Reconciler.Topology.Model.Topology;

namespace Reconciler.Vrrp.Tests;

public sealed class VrrpRouterConfigTests
{
    private static readonly Node Lb1 = new("lb1", [IPAddress.Parse("10.0.0.1"), IPAddress.Parse("2001:db8::1")], ["eth0", "eth1"]);
    private static readonly Node Lb2 = new("lb2", [IPAddress.Parse("10.0.0.2")], ["eth0", "ens3"]);

    private static readonly TrackedCheck Nginx = new("nginx", ["/usr/bin/check-nginx"], TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1), 2, 3, -30);

    private static VrrpInstance Instance(
        ValueList<IPAddress>? unicast = null, VrrpAuthentication? auth = null, ValueList<TrackedCheckReference>? checks = null) =>
        new(
            "VI_1", "eth0", ValueMap<string>.Create([new("lb2", "ens3")]), 51, 2, TimeSpan.FromSeconds(1),
            ValueMap<int>.Create([new("lb1", 150), new("lb2", 100)]), true, TimeSpan.FromSeconds(30), auth,
            [new InterfaceAddress(IPAddress.Parse("10.0.0.100"), 24)], unicast ?? [],
            checks ?? [new TrackedCheckReference("nginx", null), new TrackedCheckReference("nginx-hard", 0)],
            [new TrackedInterface("eth1", -20)], null, GratuitousArp.Default);

    private static TopologyModel Topology(VrrpInstance instance) =>
        new([Lb1, Lb2], [Nginx, Nginx with { Name = "nginx-hard" }], [instance], []);

    [Fact]
    public void FromTopology_ResolvesThisNodesView()
    {
        var instance = Instance();
        var config = VrrpRouterConfig.FromTopology(Topology(instance), instance, "lb2");

        Assert.Equal("VI_1", config.InstanceName);
        Assert.Equal("ens3", config.Interface); // per-node override
        Assert.Equal(100, config.Priority);
        Assert.Equal((byte)51, config.VirtualRouterId);
        Assert.Equal(AddressFamily.InterNetwork, config.Family);
        Assert.Equal(IPAddress.Parse("10.0.0.2"), config.PrimaryAddress);
        Assert.False(config.UsesUnicast);
        Assert.Equal([new VrrpTrackedCheck("nginx", -30), new VrrpTrackedCheck("nginx-hard", 0)], config.TrackedChecks);
        Assert.Equal([new VrrpTrackedInterface("eth1", -20)], config.TrackedInterfaces);
        Assert.Equal(TimeSpan.FromSeconds(30), config.PreemptDelay);
        Assert.Null(config.AuthPassword);
        config.Validate();
    }

    [Fact]
    public void FromTopology_ASyncGroupsTrackedObjects_AreTrackedByEachMember_AfterItsOwn()
    {
        var instance = Instance(checks: [new TrackedCheckReference("nginx-hard", 0)]);
        var other = instance with { Name = "VI_2", VirtualRouterId = 52, TrackChecks = [], TrackInterfaces = [] };
        var group = new VrrpSyncGroup("VG", ["VI_1", "VI_2"], [new TrackedCheckReference("nginx", 10)], [new TrackedInterface("uplink", 0)], null, false);
        var topology = Topology(instance) with { VrrpInstances = [instance, other], SyncGroups = [group] };

        var config = VrrpRouterConfig.FromTopology(topology, instance, "lb1");
        Assert.Equal([new VrrpTrackedCheck("nginx-hard", 0), new VrrpTrackedCheck("nginx", 10)], config.TrackedChecks);
        Assert.Equal([new VrrpTrackedInterface("eth1", -20), new VrrpTrackedInterface("uplink", 0)], config.TrackedInterfaces);

        var second = VrrpRouterConfig.FromTopology(topology, other, "lb1");
        Assert.Equal([new VrrpTrackedCheck("nginx", 10)], second.TrackedChecks);
        Assert.Equal([new VrrpTrackedInterface("uplink", 0)], second.TrackedInterfaces);
    }

    [Fact]
    public void FromTopology_VmacAndLabels_CarriedForTheEdge_TheBaseStaysTheInterface()
    {
        var instance = Instance() with
        {
            Vmac = new VirtualMac("vrrp.51", TransmitBase: false),
            VirtualAddressLabels = ValueMap<string>.Create([new("10.0.0.100", "vrrp.51:web")]),
        };

        var config = VrrpRouterConfig.FromTopology(Topology(instance), instance, "lb2");

        Assert.Equal(new VirtualMac("vrrp.51", false), config.Vmac);
        Assert.Equal("vrrp.51:web", config.AddressLabels["10.0.0.100"]);
        Assert.Equal("ens3", config.Interface);
        Assert.Equal("vrrp.51", instance.AddressInterfaceFor("lb2"));
    }

    [Fact]
    public void FromTopology_UnicastPeers_ExcludeOurOwnAddresses()
    {
        var instance = Instance(unicast: [IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2")]);
        var config = VrrpRouterConfig.FromTopology(Topology(instance), instance, "lb1");
        Assert.Equal([IPAddress.Parse("10.0.0.2")], config.UnicastPeers);
        Assert.Equal(IPAddress.Parse("10.0.0.1"), config.PrimaryAddress);
    }

    [Fact]
    public void FromTopology_PasswordFile_IsReadThroughTheEdgesReader()
    {
        var instance = Instance(auth: new VrrpAuthentication(null, "/etc/reconciler/vrrp.pass"));
        var config = VrrpRouterConfig.FromTopology(Topology(instance), instance, "lb1", path => path == "/etc/reconciler/vrrp.pass" ? "s3cret\n" : "");
        Assert.Equal("s3cret", config.AuthPassword);
        Assert.Equal(Reconciler.Vrrp.Wire.VrrpAuthType.SimpleText, config.AuthType);

        Assert.Throws<ArgumentException>(() => VrrpRouterConfig.FromTopology(Topology(instance), instance, "lb1"));
    }

    [Fact]
    public void FromTopology_InlinePassword_IsTaken()
    {
        var instance = Instance(auth: new VrrpAuthentication("pw", null));
        Assert.Equal("pw", VrrpRouterConfig.FromTopology(Topology(instance), instance, "lb1").AuthPassword);
    }

    [Fact]
    public void FromTopology_NodeNotTakingPart_Throws()
    {
        var instance = Instance();
        var topology = Topology(instance) with { Nodes = [Lb1, Lb2, new Node("lb3", [IPAddress.Parse("10.0.0.3")], ["eth0"])] };
        Assert.Throws<ArgumentException>(() => VrrpRouterConfig.FromTopology(topology, instance, "lb3"));
        Assert.Throws<ArgumentException>(() => VrrpRouterConfig.FromTopology(topology, instance, "nope"));
    }

    [Fact]
    public void FromTopology_UnknownCheck_Throws()
    {
        var instance = Instance(checks: [new TrackedCheckReference("missing", null)]);
        Assert.Throws<ArgumentException>(() => VrrpRouterConfig.FromTopology(Topology(instance), instance, "lb1"));
    }

    [Fact]
    public void FromTopology_Ipv6Multicast_PrefersALinkLocalSource()
    {
        var node = new Node("lb1", [IPAddress.Parse("2001:db8::1"), IPAddress.Parse("fe80::1")], ["eth0"]);
        var instance = Instance() with
        {
            Version = 3,
            VirtualAddresses = [new InterfaceAddress(IPAddress.Parse("2001:db8::100"), 64)],
            TrackChecks = [],
        };
        var topology = new TopologyModel([node, Lb2], [], [instance], []);
        var config = VrrpRouterConfig.FromTopology(topology, instance, "lb1");
        Assert.Equal(AddressFamily.InterNetworkV6, config.Family);
        Assert.Equal(IPAddress.Parse("fe80::1"), config.PrimaryAddress);
        Assert.Equal(Reconciler.Vrrp.Wire.VrrpConstants.VRRP_MCAST_GROUP6, Assert.Single(config.AdvertDestinations));
    }

    [Fact]
    public void NotifyArguments_AreKeepalivedCompatible()
    {
        Assert.Equal(["INSTANCE", "VI_1", "MASTER", "150"], VrrpNotifyArguments.ForInstance("VI_1", VrrpState.Master, 150));
        Assert.Equal(["INSTANCE", "VI_1", "BACKUP", "100"], VrrpNotifyArguments.ForInstance("VI_1", VrrpState.Backup, 100));
        Assert.Equal(["INSTANCE", "VI_1", "FAULT", "100"], VrrpNotifyArguments.ForInstance("VI_1", VrrpState.Fault, 100));
        Assert.Equal(["INSTANCE", "VI_1", "STOP", "100"], VrrpNotifyArguments.ForInstance("VI_1", VrrpState.Stopped, 100));
        Assert.Empty(VrrpNotifyArguments.ForInstance("VI_1", VrrpState.Initialize, 100));
    }
}
