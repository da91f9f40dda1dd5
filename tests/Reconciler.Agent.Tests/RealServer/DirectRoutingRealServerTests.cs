using System.Net;
using Reconciler.Agent.Tests.Fakes;
using Reconciler.Planning.Desired;
using Reconciler.Topology.Model;

namespace Reconciler.Agent.Tests.RealServer;

public sealed class DirectRoutingRealServerTests
{
    [Theory]
    [InlineData("lb1")]
    [InlineData("lb2")]
    public void LoopbackAddresses_Seed_BothDirectorsHoldTheVipOnLoForVI1(string node)
    {
        var addresses = DirectRoutingRealServer.LoopbackAddresses(Topologies.Seed(), node);

        var address = Assert.Single(addresses);
        Assert.Equal(new DesiredAddress("lo", new InterfaceAddress(IPAddress.Parse("192.168.1.120"), 32), "VI_1", Present: true), address with { Reason = null });
        Assert.Contains("LVS-DR real server", address.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void LoopbackAddresses_NatService_None()
    {
        var topology = Topologies.Load(Topologies.DirectRouting.Replace("forwarding: dr", "forwarding: nat", StringComparison.Ordinal));

        Assert.Empty(DirectRoutingRealServer.LoopbackAddresses(topology, "lb1"));
    }

    [Fact]
    public void LoopbackAddresses_NodeNotARealServer_None()
    {
        var topology = Topologies.Load(Topologies.DirectRouting.Replace("- address: 10.0.0.1\n        port: 80", "- address: 10.0.0.9\n        port: 80", StringComparison.Ordinal));

        Assert.Empty(DirectRoutingRealServer.LoopbackAddresses(topology, "lb1"));
    }

    [Fact]
    public void LoopbackAddresses_NodeNotInTheTopology_None()
    {
        Assert.Empty(DirectRoutingRealServer.LoopbackAddresses(Topologies.Load(Topologies.DirectRouting), "lb9"));
    }

    [Fact]
    public void LoopbackAddresses_NoVrrpInstance_OwnedByTheService()
    {
        var address = Assert.Single(DirectRoutingRealServer.LoopbackAddresses(Topologies.Load(Topologies.DirectRouting), "lb1"));

        Assert.Equal(new DesiredAddress("lo", new InterfaceAddress(IPAddress.Parse("10.0.0.100"), 32), "web", Present: true), address with { Reason = null });
    }

    [Fact]
    public void LoopbackAddresses_Ipv6Vip_HostPrefix128()
    {
        var topology = Topologies.Load("""
            nodes:
              - name: lb1
                addresses: [2001:db8::1]
                interfaces: [eth0]
            services:
              - name: web6
                address: 2001:db8::100
                port: 443
                forwarding: dr
                realServers:
                  - address: 2001:db8::1
                    port: 443
            """);

        var address = Assert.Single(DirectRoutingRealServer.LoopbackAddresses(topology, "lb1"));

        Assert.Equal(new InterfaceAddress(IPAddress.Parse("2001:db8::100"), 128), address.Address);
        Assert.Equal("lo", address.Interface);
    }

    [Fact]
    public void LoopbackAddresses_TwoServicesOnOneVip_OneAddress()
    {
        var topology = Topologies.Load("""
            nodes:
              - name: lb1
                addresses: [10.0.0.1]
                interfaces: [eth0]
            services:
              - name: http
                address: 10.0.0.100
                port: 80
                forwarding: dr
                realServers:
                  - address: 10.0.0.1
                    port: 80
              - name: https
                address: 10.0.0.100
                port: 443
                forwarding: dr
                realServers:
                  - address: 10.0.0.1
                    port: 443
              - name: other
                address: 10.0.0.101
                port: 80
                forwarding: dr
                realServers:
                  - address: 10.0.0.1
                    port: 80
            """);

        var addresses = DirectRoutingRealServer.LoopbackAddresses(topology, "lb1");

        Assert.Equal(["10.0.0.100/32 http", "10.0.0.101/32 other"], addresses.Select(a => $"{a.Address} {a.Instance}"));
    }
}
