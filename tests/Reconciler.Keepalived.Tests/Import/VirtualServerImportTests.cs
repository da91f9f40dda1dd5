using System.Net;
using System.Net.Sockets;
using Reconciler.Topology.Model;
using static Reconciler.Keepalived.Tests.Import.ImportHelper;

namespace Reconciler.Keepalived.Tests.Import;

public sealed class VirtualServerImportTests
{
    private const string Rs = "real_server 10.0.1.1 8080 {\n}\n";

    [Fact]
    public void Service_Basics_AreMapped()
    {
        var service = Service(Rs + "lb_algo rr\nlb_kind NAT\nprotocol UDP");

        Assert.Equal("udp-10.0.0.100-80", service.Name);
        Assert.Equal(IPAddress.Parse("10.0.0.100"), service.Address);
        Assert.Equal(80, service.Port);
        Assert.Equal(Protocol.Udp, service.Protocol);
        Assert.Equal("rr", service.Scheduler);
        Assert.Equal(Forwarding.Nat, service.Forwarding);
        Assert.Null(service.Persistence);
        Assert.Null(service.Quorum);
        Assert.Null(service.VrrpInstance);
        var rs = Assert.Single(service.RealServers);
        Assert.Equal(new RealServer(IPAddress.Parse("10.0.1.1"), 8080, 1, 0, 0, null, null), rs);
    }

    [Fact]
    public void Defaults_AreWlcNatTcp()
    {
        var service = Service(Rs);

        Assert.Equal(("wlc", Forwarding.Nat, Protocol.Tcp), (service.Scheduler, service.Forwarding, service.Protocol));
    }

    [Theory]
    [InlineData("lb_algo sh\nlb_kind DR")]
    [InlineData("lvs_sched sh\nlvs_method DR")]
    public void SchedulerAndMethod_BothSpellings(string lines)
    {
        var service = Service(Rs + lines);

        Assert.Equal(("sh", Forwarding.DirectRouting), (service.Scheduler, service.Forwarding));
    }

    [Fact]
    public void SchedulerFlagsAndOps()
    {
        var service = Service(Rs + "lvs_sched mh\nmh-port\nmh-fallback\nflag-3\nops\nprotocol UDP");

        Assert.Equal(["mh-port", "mh-fallback", "flag-3"], service.SchedulerFlags);
        Assert.True(service.OnePacket);
    }

    [Fact]
    public void SchedulerFlagForAnotherScheduler_IsWarnedAndDropped()
    {
        var result = Run("virtual_server 10.0.0.1 80 {\n lb_algo rr\n sh-port\n flag-1\n}");

        Assert.Equal(["flag-1"], result.Topology!.Services[0].SchedulerFlags);
        Assert.Equal(3, Assert.Single(result.Diagnostics).Location!.Line);
    }

    [Fact]
    public void Tunnel_TypeAndOptions()
    {
        var service = Service(Rs + "lvs_method TUN type gue port 6080 csum");

        Assert.Equal(Forwarding.Tunnel, service.Forwarding);
        Assert.Equal(new TunnelSettings(TunnelType.Gue, 6080, true, false), service.Tunnel);
        Assert.Equal(new TunnelSettings(TunnelType.Ipip, null, false, false), Service(Rs + "lb_kind TUN").Tunnel);
    }

    [Fact]
    public void Tunnel_GueWithoutPort_IsError()
    {
        var result = Run("virtual_server 10.0.0.1 80 {\n lvs_method TUN type gue\n}");

        Assert.Contains(result.Diagnostics, d => d.IsError && d.Location!.Line == 2);
    }

    [Theory]
    [InlineData("persistence_timeout 50", 50, null)]
    [InlineData("persistence_timeout", 360, null)]
    [InlineData("persistence_granularity 255.255.255.0", 360, 24)]
    [InlineData("persistence_timeout 600\npersistence_granularity 255.255.0.0", 600, 16)]
    public void Persistence_TimeoutAndGranularity(string lines, int seconds, int? prefix)
    {
        var persistence = Service(Rs + lines).Persistence;

        Assert.Equal(new Persistence(TimeSpan.FromSeconds(seconds), prefix, null), persistence);
    }

    [Fact]
    public void Persistence_Engine()
    {
        Assert.Equal("sip", Service(Rs + "persistence_timeout 30\npersistence_engine sip\nprotocol UDP").Persistence!.Engine);
    }

    [Fact]
    public void Persistence_NonContiguousNetmask_IsError()
    {
        var result = Run("virtual_server 10.0.0.1 80 {\n persistence_granularity 255.0.255.0\n}");

        Assert.Contains(result.Diagnostics, d => d.IsError && d.Location!.Line == 2 && d.Location.Column == 26);
    }

    [Fact]
    public void Ipv6Service_GranularityIsPrefixLength()
    {
        var service = Service("real_server 2001:db8::1 80 {\n}\npersistence_granularity 64", "2001:db8::10 80");

        Assert.Equal("tcp-2001_db8__10-80", service.Name);
        Assert.Equal(AddressFamily.InterNetworkV6, service.Family);
        Assert.Equal(64, service.Persistence!.PrefixLength);
    }

    [Fact]
    public void FirewallMark_FamilyFromIpFamilyOrRealServers()
    {
        var v4 = Service(Rs, "fwmark 7");
        Assert.Equal(("fwmark-7", 7u, AddressFamily.InterNetwork), (v4.Name, v4.FirewallMark!.Value, v4.Family));
        Assert.Null(v4.Address);

        var v6 = Service("real_server 2001:db8::1 80 {\n}", "fwmark 8");
        Assert.Equal(("fwmark-8-ipv6", AddressFamily.InterNetworkV6), (v6.Name, v6.Family));

        Assert.Equal(AddressFamily.InterNetworkV6, Service("ip_family inet6", "fwmark 9").Family);
    }

    [Fact]
    public void Group_EachMemberBecomesAServiceWithTheVirtualServersSettings()
    {
        // The group is defined after its virtual server, as keepalived allows; a keyword the topology lacks in the
        // body is reported once, not once per member.
        var result = Run("virtual_server group WEB {\nlb_algo rr\nha_suspend\nreal_server 10.0.1.1 80 {\n}\n}\nvirtual_server_group WEB {\n10.0.0.1-3 80\n10.0.0.9 443\nfwmark 7\n}");

        var services = result.Topology!.Services;
        Assert.Equal(["tcp-10.0.0.1-80", "tcp-10.0.0.2-80", "tcp-10.0.0.3-80", "tcp-10.0.0.9-443", "fwmark-7"], services.Select(s => s.Name));
        Assert.All(services, s => Assert.Equal(("rr", "10.0.1.1:80"), (s.Scheduler, Assert.Single(s.RealServers).Endpoint)));
        Assert.Equal(7u, services[4].FirewallMark);
        var warnings = result.Diagnostics.Where(d => !d.IsError).ToList();
        Assert.Equal([("virtual-server-group", 1), ("unsupported-keyword", 3)], warnings.Select(w => (w.Code, w.Location!.Line)));
        Assert.Contains("imported as 5 services, one per member of virtual_server_group WEB at k.conf:7:1", warnings[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("virtual_server group WEB {\n}\n", "unknown-reference", 1)]
    [InlineData("virtual_server_group WEB {\n10.0.0.5-2 80\n}\nvirtual_server group WEB {\n}\n", "invalid-value", 2)]
    [InlineData("virtual_server_group WEB {\n10.0.0.5\n}\n", "missing-value", 2)]
    public void Group_Wrong_IsLocatedError(string text, string code, int line)
    {
        var result = Run(text);

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal((code, line), (error.Code, error.Location!.Line));
    }

    [Fact]
    public void SorryServer_WithOwnMethod()
    {
        var service = Service(Rs + "lb_kind DR\nsorry_server 10.0.9.9 8080\nsorry_server_lvs_method NAT");

        Assert.Equal(new SorryServer(IPAddress.Parse("10.0.9.9"), 8080, Forwarding.Nat), service.SorryServer);
        Assert.Equal(new SorryServer(IPAddress.Parse("10.0.9.9"), 80, null), Service(Rs + "sorry_server 10.0.9.9 80").SorryServer);
    }

    [Fact]
    public void QuorumHysteresisInhibit()
    {
        var service = Service(Rs + "quorum 3\nhysteresis 1\ninhibit_on_failure");

        Assert.Equal(new Quorum(3, 1), service.Quorum);
        Assert.True(service.InhibitOnFailure);
        Assert.Equal(new Quorum(1, 2), Service(Rs + "hysteresis 2").Quorum);
    }

    [Fact]
    public void RealServer_AllSettings()
    {
        var rs = RealServer("weight 0\nuthreshold 100\nlthreshold 10\nlvs_method DR", "lb_kind NAT");

        Assert.Equal(new RealServer(IPAddress.Parse("10.0.1.1"), 8080, 0, 100, 10, Forwarding.DirectRouting, null), rs);
        Assert.Null(RealServer("lvs_method NAT").Forwarding);
    }

    [Fact]
    public void RealServer_WrongFamily_IsError()
    {
        var result = Run("virtual_server 10.0.0.1 80 {\n real_server 2001:db8::1 80 {\n }\n}");

        Assert.Equal(2, Assert.Single(result.Diagnostics, d => d.Code == "address-family").Location!.Line);
    }

    [Fact]
    public void ServiceOnVrrpAddress_FollowsThatInstance()
    {
        var topology = TopologyOf(MinimalInstance + "\nvirtual_server 10.0.0.100 80 {\n}\nvirtual_server 10.0.0.200 80 {\n}");

        Assert.Equal(["VI_1", null], topology.Services.Select(s => s.VrrpInstance));
    }

    [Fact]
    public void QuorumCommandsOmegaAndRealServerNotify_BecomeTheNotifyOfServiceAndRealServer()
    {
        var result = Run("virtual_server 10.0.0.1 80 {\n  quorum_up \"/bin/q up\"\n  quorum_down /bin/q down\n  omega\n  real_server 10.0.1.1 80 {\n    notify_up /bin/up\n    notify_down \"/bin/rs down\" nobody\n  }\n}");

        var service = result.Topology!.Services[0];
        Assert.Equal(new ServiceNotify("/bin/q up", "/bin/q down", AtShutdown: true), service.Notify);
        Assert.Equal(new RealServerNotify("/bin/up", "/bin/rs down"), service.RealServers[0].Notify);
        // Only the user to run it as is dropped, as for VRRP notify commands.
        var dropped = Assert.Single(result.Diagnostics);
        Assert.Equal((7, "nobody"), (dropped.Location!.Line, dropped.Message.Split('\'')[1]));
    }

    [Fact]
    public void UnsupportedServiceAndRealServerKeywords_AreWarnedWithLocation()
    {
        var result = Run("virtual_server 10.0.0.1 80 {\n  ha_suspend\n  real_server 10.0.1.1 80 {\n    BFD_CHECK {\n    }\n  }\n}");

        Assert.Equal(
            [(2, "ha_suspend"), (4, "BFD_CHECK")],
            result.Diagnostics.Where(d => d.Code == "unsupported-keyword").Select(d => (d.Location!.Line, d.Message.Split('\'')[1])));
    }

    [Theory]
    [InlineData("virtual_server 10.0.0.1 {\n}", 1)]
    [InlineData("virtual_server 10.0.0.1 99999 {\n}", 1)]
    [InlineData("virtual_server nothing 80 {\n}", 1)]
    [InlineData("virtual_server 10.0.0.1 80 {\n lb_algo fastest\n}", 2)]
    [InlineData("virtual_server 10.0.0.1 80 {\n protocol ICMP\n}", 2)]
    [InlineData("virtual_server 10.0.0.1 80 {\n lb_kind BRIDGE\n}", 2)]
    [InlineData("virtual_server 10.0.0.1 80 {\n real_server 10.0.1.1 80 {\n  weight 70000\n }\n}", 3)]
    public void InvalidValues_AreLocatedErrors(string text, int line)
    {
        var result = Run(text);

        Assert.Null(result.Topology);
        Assert.Contains(result.Diagnostics, d => d.IsError && d.Location!.Line == line);
    }
}
