using System.Net;
using System.Net.Sockets;
using Reconciler.Ipvs;
using Reconciler.Planning.Desired;
using Reconciler.Topology.Model;
using TopologyModel = Reconciler.Topology.Model.Topology;

namespace Reconciler.Planning.Tests.Desired;

public sealed class DesiredStateBuilderTests
{
    private static readonly HealthCheck Tcp = new(HealthCheckKind.Tcp, TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(10), 3, TimeSpan.FromSeconds(3), 1, 1, TimeSpan.Zero, 80, null, null, null, null);

    /// <summary>The seed: VIP 192.168.1.120 on VI_1 (lb1 100, lb2 80), LVS-DR wrr, persistence 50 s, .103 weight 1, .104 weight 5.</summary>
    private static TopologyModel Seed(string? vrrpBinding = null) => new(
        [new Node("lb1", [IPAddress.Parse("192.168.1.104")], ["eth0"]), new Node("lb2", [IPAddress.Parse("192.168.1.103")], ["eth0"])],
        [],
        [new VrrpInstance("VI_1", "eth0", ValueMap<string>.Empty, 51, 2, TimeSpan.FromSeconds(1),
            ValueMap<int>.Create([new("lb1", 100), new("lb2", 80)]), true, TimeSpan.Zero, new VrrpAuthentication("1111", null),
            [new InterfaceAddress(IPAddress.Parse("192.168.1.120"), 32)], [], [], [], null, GratuitousArp.Default)],
        [new VirtualService("web", IPAddress.Parse("192.168.1.120"), 80, Protocol.Tcp, null, AddressFamily.InterNetwork, "wrr", [],
            Forwarding.DirectRouting, null, new Persistence(TimeSpan.FromSeconds(50), null, null), false,
            new SorryServer(IPAddress.Parse("192.168.1.200"), 80, null), null, false, vrrpBinding, Tcp,
            [new RealServer(IPAddress.Parse("192.168.1.103"), 80, 1, 0, 0, null, null), new RealServer(IPAddress.Parse("192.168.1.104"), 80, 5, 0, 0, null, null)])]);

    private static RuntimeOverlay Roles(VrrpRole role, IHealthOverlay? health = null) =>
        new(new Dictionary<string, VrrpRole> { ["VI_1"] = role }, health ?? NoHealthOverlay.Instance);

    [Fact]
    public void Build_Seed_MapsServiceAndRealServersToKernelSettings()
    {
        var desired = DesiredStateBuilder.Build(Seed(), "lb1", RuntimeOverlay.None);

        var service = Assert.Single(desired.Services);
        Assert.Equal(new IpvsService(ServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("192.168.1.120"), 80), "wrr", IpvsServiceFlags.Persistent, 50, 0xffffffff, null), service.Service);
        Assert.Equal(
            [new IpvsDestination(IPAddress.Parse("192.168.1.103"), 80, IpvsForwarding.DirectRoute, 1, 0, 0), new IpvsDestination(IPAddress.Parse("192.168.1.104"), 80, IpvsForwarding.DirectRoute, 5, 0, 0)],
            service.Destinations.Select(d => d.Destination));
        Assert.False(service.OnlyIfPresent);
        Assert.True(Assert.Single(desired.VrrpAddresses).Held); // the role is not known: the VIP is held as it is
    }

    [Theory]
    [InlineData(VrrpRole.Master, 1, false)]
    [InlineData(VrrpRole.Unknown, 1, true)]
    [InlineData(VrrpRole.Backup, 0, false)]
    [InlineData(VrrpRole.Fault, 0, false)]
    public void Build_ServiceBoundToInstance_PresentOnlyWhileMaster(VrrpRole role, int services, bool held)
    {
        var desired = DesiredStateBuilder.Build(Seed("VI_1"), "lb2", Roles(role));

        Assert.Equal(services, desired.Services.Count);
        Assert.All(desired.Services, s => Assert.Equal(held, s.OnlyIfPresent));
    }

    [Theory]
    [InlineData(VrrpRole.Master)]
    [InlineData(VrrpRole.Backup)]
    [InlineData(VrrpRole.Fault)]
    [InlineData(VrrpRole.Unknown)]
    public void Build_ServiceBoundToAnInstanceThatSyncsConnections_OnEveryNodeWhateverTheRole(VrrpRole role)
    {
        var seed = Seed("VI_1");
        var syncing = seed with { VrrpInstances = [seed.VrrpInstances[0] with { ConnectionSync = ConnectionSync.Default }] };

        var desired = DesiredStateBuilder.Build(syncing, "lb2", Roles(role));

        Assert.False(Assert.Single(desired.Services).OnlyIfPresent);
        Assert.Equal(role == VrrpRole.Master, Assert.Single(desired.VrrpAddresses).Present); // the VIP still follows the role
    }

    [Fact]
    public void Build_NodeOutsideTheInstance_GetsNoBoundServiceAndNoAddresses()
    {
        var desired = DesiredStateBuilder.Build(Seed("VI_1"), "lb9", Roles(VrrpRole.Master));

        Assert.Empty(desired.Services);
        Assert.Empty(desired.Addresses);
        Assert.Empty(desired.VrrpAddresses);
    }

    [Theory]
    [InlineData(VrrpRole.Master, true)]
    [InlineData(VrrpRole.Backup, false)]
    public void Build_KnownRole_VirtualAddressWantedOnlyOnMaster(VrrpRole role, bool present)
    {
        var desired = DesiredStateBuilder.Build(Seed(), "lb1", Roles(role));

        var address = Assert.Single(desired.VrrpAddresses);
        Assert.Equal(("eth0", "192.168.1.120/32", present), (address.Interface, address.Address.ToString(), address.Present));
    }

    [Fact]
    public void Build_HealthOverlay_WeightsAndRemovalsWithoutTouchingTheTopology()
    {
        var topology = Seed();
        var health = new StubHealth(
            (IPAddress.Parse("192.168.1.103"), new RealServerHealth(false, null, "health: tcp connect 192.168.1.103:80 refused, 3rd failure")),
            (IPAddress.Parse("192.168.1.104"), new RealServerHealth(true, 2, "health: slow start 2/5")));

        var service = Assert.Single(DesiredStateBuilder.Build(topology, "lb1", new RuntimeOverlay(new Dictionary<string, VrrpRole>(), health)).Services);

        var destination = Assert.Single(service.Destinations);
        Assert.Equal((2, "health: slow start 2/5"), (destination.Destination.Weight, destination.Reason));
        Assert.Equal("health: tcp connect 192.168.1.103:80 refused, 3rd failure", Assert.Single(service.RemoveAtOnce).Reason);
        Assert.Equal(5, topology.Services[0].RealServers[1].Weight);
    }

    [Fact]
    public void Build_SorryServerActive_OnlyTheSorryServerServes()
    {
        var health = new StubHealth { Service = new ServiceHealth(false, true, "every real server is down") };

        var service = Assert.Single(DesiredStateBuilder.Build(Seed(), "lb1", new RuntimeOverlay(new Dictionary<string, VrrpRole>(), health)).Services);

        Assert.Equal("192.168.1.200", Assert.Single(service.Destinations).Destination.Address.ToString());
        Assert.Equal(2, service.RemoveAtOnce.Count);
    }

    [Fact]
    public void Build_QuorumLost_ServiceWithdrawn()
    {
        var health = new StubHealth { Service = new ServiceHealth(true, false, "quorum lost") };

        Assert.Empty(DesiredStateBuilder.Build(Seed(), "lb1", new RuntimeOverlay(new Dictionary<string, VrrpRole>(), health)).Services);
    }

    [Theory]
    [InlineData(null, AddressFamily.InterNetwork, 0xffffffffu)]
    [InlineData(24, AddressFamily.InterNetwork, 0xffffff00u)]
    [InlineData(0, AddressFamily.InterNetwork, 0u)]
    [InlineData(null, AddressFamily.InterNetworkV6, 128u)]
    [InlineData(64, AddressFamily.InterNetworkV6, 64u)]
    public void NetmaskOf_PrefixLength_KernelEncoding(int? prefix, AddressFamily family, uint expected) =>
        Assert.Equal(expected, IpvsMapping.NetmaskOf(family, prefix));

    private sealed class StubHealth(params (IPAddress Address, RealServerHealth Health)[] servers) : IHealthOverlay
    {
        public ServiceHealth Service { get; init; } = ServiceHealth.Normal;

        public RealServerHealth Get(string service, IPAddress address, int port) =>
            servers.FirstOrDefault(s => s.Address.Equals(address)).Health ?? RealServerHealth.Configured;

        public ServiceHealth GetService(string service) => Service;
    }
}
