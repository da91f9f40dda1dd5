using System.Net;
using Reconciler.Topology.Model;
using static Reconciler.Keepalived.Tests.Import.ImportHelper;

namespace Reconciler.Keepalived.Tests.Import;

public sealed class VrrpImportTests
{
    private const string Base = "interface eth0\nvirtual_router_id 51\n";

    [Fact]
    public void Instance_Basics_AreMapped()
    {
        var instance = Instance(Base + """
            priority 150
            advert_int 2
            authentication {
                auth_type PASS
                auth_pass secret
            }
            virtual_ipaddress {
                192.168.1.120
                192.168.1.121/24
            }
            """);

        Assert.Equal("VI_1", instance.Name);
        Assert.Equal("eth0", instance.Interface);
        Assert.Equal(51, instance.VirtualRouterId);
        Assert.Equal(2, instance.Version);
        Assert.Equal(TimeSpan.FromSeconds(2), instance.AdvertInterval);
        Assert.Equal(150, instance.Priorities["lb1"]);
        Assert.True(instance.Preempt);
        Assert.Equal(new VrrpAuthentication("secret", null), instance.Authentication);
        Assert.Equal(["192.168.1.120/32", "192.168.1.121/24"], instance.VirtualAddresses.Select(a => a.ToString()));
        Assert.Equal(GratuitousArp.Default, instance.Garp);
    }

    [Theory]
    [InlineData("state MASTER", 255)]
    [InlineData("state BACKUP", 100)]
    [InlineData("", 100)]
    public void Priority_Missing_FollowsKeepalivedDefault(string state, int expected) =>
        Assert.Equal(expected, Instance(Base + state + "\nvirtual_ipaddress {\n10.0.0.1\n}").Priorities["lb1"]);

    [Fact]
    public void Version3_FromInstanceOrGlobal_AllowsCentisecondAdverts()
    {
        Assert.Equal(3, Instance(Base + "version 3\nadvert_int 0.5").Version);
        var topology = TopologyOf("global_defs {\n vrrp_version 3\n}\nvrrp_instance VI_1 {\n" + Base + "advert_int 0.25\n}");
        Assert.Equal(3, topology.VrrpInstances[0].Version);
        Assert.Equal(TimeSpan.FromMilliseconds(250), topology.VrrpInstances[0].AdvertInterval);
    }

    [Fact]
    public void Ipv6Instance_IsAlwaysVersion3()
    {
        var result = Run("vrrp_instance V6 {\n" + Base + "virtual_ipaddress {\n2001:db8::10/64\n}\n}");

        Assert.Equal(3, result.Topology!.VrrpInstances[0].Version);
        Assert.Equal(1, Single(result, "vrrp-version").Location!.Line);
    }

    [Fact]
    public void FractionalAdvertInV2_IsRoundedWithWarning()
    {
        var result = Run("vrrp_instance VI_1 {\n" + Base + "advert_int 1.4\n}");

        Assert.Equal(TimeSpan.FromSeconds(1), result.Topology!.VrrpInstances[0].AdvertInterval);
        Assert.Equal(4, Single(result, "invalid-value").Location!.Line);
    }

    [Fact]
    public void NopreemptAndDelay_AreMapped()
    {
        var instance = Instance(Base + "state BACKUP\nnopreempt\npreempt_delay 30");

        Assert.False(instance.Preempt);
        Assert.Equal(TimeSpan.FromSeconds(30), instance.PreemptDelay);
    }

    [Fact]
    public void NopreemptWithStateMaster_IsClearedWithWarning()
    {
        var result = Run("vrrp_instance VI_1 {\n" + Base + "state MASTER\nnopreempt\n}");

        Assert.True(result.Topology!.VrrpInstances[0].Preempt);
        Assert.Equal(5, Single(result, "nopreempt-ignored").Location!.Line);
    }

    [Fact]
    public void VirtualAddressOptions_AreWarnedAboutWhenDropped()
    {
        var result = Run("vrrp_instance VI_1 {\n" + Base + """
            virtual_ipaddress {
                10.0.0.1/24 dev eth0
                10.0.0.2/24 dev eth1 label eth1:vip
                10.0.0.3 brd 10.0.0.255 scope global
            }
            """ + "\n}");

        Assert.Equal(3, result.Topology!.VrrpInstances[0].VirtualAddresses.Count);
        var device = Single(result, "vip-device-dropped");
        Assert.Equal((6, 21), (device.Location!.Line, device.Location.Column));
        var dropped = result.Diagnostics.Where(d => d.Code == "unsupported-keyword").Select(d => (d.Location!.Line, d.Message)).ToList();
        Assert.Equal(3, dropped.Count);
        Assert.Contains(dropped, d => d.Line == 6 && d.Message.Contains("'label eth1:vip'", StringComparison.Ordinal));
        Assert.Contains(dropped, d => d.Line == 7 && d.Message.Contains("'brd 10.0.0.255'", StringComparison.Ordinal));
        Assert.Contains(dropped, d => d.Line == 7 && d.Message.Contains("'scope global'", StringComparison.Ordinal));
    }

    [Fact]
    public void ExcludedAddresses_AreMergedWithWarning()
    {
        var result = Run("vrrp_instance VI_1 {\n" + Base + "virtual_ipaddress {\n10.0.0.1\n}\nvirtual_ipaddress_excluded {\n10.0.0.2\n}\n}");

        Assert.Equal(["10.0.0.1/32", "10.0.0.2/32"], result.Topology!.VrrpInstances[0].VirtualAddresses.Select(a => a.ToString()));
        Assert.Equal(7, Single(result, "vip-excluded-merged").Location!.Line);
    }

    [Fact]
    public void TrackScriptAndInterface_WithWeights()
    {
        var topology = TopologyOf("""
            vrrp_script chk {
                script "/bin/true"
            }
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 1
                track_script {
                    chk
                    chk weight -20
                }
                track_interface {
                    eth1
                    eth2 weight 10
                }
            }
            """);

        var instance = topology.VrrpInstances[0];
        Assert.Equal([new TrackedCheckReference("chk", null), new TrackedCheckReference("chk", -20)], instance.TrackChecks);
        Assert.Equal([new TrackedInterface("eth1", 0), new TrackedInterface("eth2", 10)], instance.TrackInterfaces);
        Assert.Equal(["eth0", "eth1", "eth2"], topology.Nodes[0].Interfaces);
    }

    [Fact]
    public void TrackScript_Undefined_IsWarnedAndDropped()
    {
        var result = Run("vrrp_instance VI_1 {\n" + Base + "track_script {\n  nothere\n}\n}");

        Assert.Empty(result.Topology!.VrrpInstances[0].TrackChecks);
        Assert.Equal((5, 3), (Single(result, "unknown-check").Location!.Line, Single(result, "unknown-check").Location!.Column));
    }

    [Fact]
    public void VrrpScript_AllSettings()
    {
        var check = Assert.Single(TopologyOf("""
            vrrp_script chk_haproxy {
                script "killall -0 'ha proxy'"
                interval 2
                timeout 3
                rise 2
                fall 4
                weight 20
            }
            """).Checks);

        Assert.Equal(new TrackedCheck("chk_haproxy", ["killall", "-0", "ha proxy"], TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3), 2, 4, 20), check);
    }

    [Fact]
    public void VrrpScript_Defaults_FollowKeepalived()
    {
        var check = Assert.Single(TopologyOf("vrrp_script c {\n script /usr/bin/check arg\n interval 5\n}").Checks);

        Assert.Equal(["/usr/bin/check", "arg"], check.Command);
        Assert.Equal(TimeSpan.FromSeconds(5), check.Timeout);
        Assert.Equal((1, 1, 0), (check.Rise, check.Fall, check.Weight));
    }

    [Fact]
    public void Notify_AllKinds()
    {
        var notify = Instance(Base + """
            notify_master "/etc/keepalived/notify.sh master"
            notify_backup /etc/keepalived/notify.sh backup
            notify_fault "/etc/keepalived/notify.sh fault" root
            notify_stop /bin/stop.sh
            notify /bin/any.sh
            """).Notify;

        Assert.Equal(
            new VrrpNotify("/etc/keepalived/notify.sh master", "/etc/keepalived/notify.sh backup", "/etc/keepalived/notify.sh fault", "/bin/stop.sh", "/bin/any.sh", null),
            notify);
    }

    [Fact]
    public void Garp_InstanceOverridesGlobal()
    {
        var topology = TopologyOf("""
            global_defs {
                vrrp_garp_master_delay 10
                vrrp_garp_master_repeat 3
            }
            vrrp_instance A {
                interface eth0
                virtual_router_id 1
            }
            vrrp_instance B {
                interface eth0
                virtual_router_id 2
                garp_master_delay 0
                garp_master_repeat 2
            }
            """);

        Assert.Equal(new GratuitousArp(3, TimeSpan.FromSeconds(10), 3), topology.VrrpInstances[0].Garp);
        Assert.Equal(new GratuitousArp(2, TimeSpan.Zero, 0), topology.VrrpInstances[1].Garp);
    }

    [Fact]
    public void Unicast_PeersAndSourceBecomePeersAndNodeAddress()
    {
        var topology = TopologyOf("vrrp_instance VI_1 {\n" + Base + "unicast_src_ip 10.0.0.1\nunicast_peer {\n10.0.0.2\n10.0.0.3\n}\n}");

        Assert.Equal(["10.0.0.1", "10.0.0.2", "10.0.0.3"], topology.VrrpInstances[0].UnicastPeers.Select(a => a.ToString()));
        Assert.Equal([IPAddress.Parse("10.0.0.1")], topology.Nodes[0].Addresses);
    }

    [Fact]
    public void AuthenticationPass_LongerThan8_IsTruncatedWithWarning()
    {
        var result = Run("vrrp_instance VI_1 {\n" + Base + "authentication {\nauth_type PASS\nauth_pass 0123456789\n}\n}");

        Assert.Equal("01234567", result.Topology!.VrrpInstances[0].Authentication!.Password);
        Assert.Equal(6, Single(result, "auth-pass-truncated").Location!.Line);
    }

    [Fact]
    public void AuthenticationAh_IsWarnedAndDropped()
    {
        var result = Run("vrrp_instance VI_1 {\n" + Base + "authentication {\nauth_type AH\nauth_pass x\n}\n}");

        Assert.Null(result.Topology!.VrrpInstances[0].Authentication);
        Assert.Contains(result.Diagnostics, d => d.Code == "unsupported-keyword" && d.Location!.Line == 5);
    }

    [Fact]
    public void MissingInterfaceOrRouterId_AreErrors()
    {
        var result = Run("vrrp_instance VI_1 {\n}");

        Assert.Null(result.Topology);
        Assert.Equal(2, result.Diagnostics.Count(d => d.IsError && d.Code == "missing-value" && d.Location!.Line == 1));
    }

    [Theory]
    [InlineData("priority 0")]
    [InlineData("priority 256")]
    [InlineData("priority high")]
    [InlineData("virtual_router_id 300")]
    [InlineData("state PRIMARY")]
    [InlineData("preempt_delay 2000")]
    public void InvalidValues_AreLocatedErrors(string line)
    {
        var result = Run("vrrp_instance VI_1 {\n" + Base + line + "\n}");

        Assert.Null(result.Topology);
        Assert.Contains(result.Diagnostics, d => d.IsError && d.Code == "invalid-value" && d.Location!.Line == 4);
    }

    [Fact]
    public void UnknownInstanceKeyword_IsWarningWithLocation()
    {
        var result = Run("vrrp_instance VI_1 {\n" + Base + "  smtp_alert\n  dont_track_primary\n}");

        var warnings = result.Diagnostics.Where(d => d.Code == "unsupported-keyword").ToList();
        Assert.Equal(["k.conf:4:3: warning: 'smtp_alert' in vrrp_instance VI_1 is ignored: global_defs has no smtp_server and notification_email, so keepalived sends no mail either",
                      "k.conf:5:3: warning: 'dont_track_primary' in vrrp_instance VI_1 is not supported by the topology and is ignored (the instance's own interface is always tracked: its link down is FAULT)"],
            warnings.Select(w => w.ToString()));
    }

    [Fact]
    public void DefinitionLine_IsWarnedWithAHint_ConditionalLineForAnotherNodeIsLeftOut()
    {
        var result = Run("$PRIO=100\nvrrp_instance VI_1 {\n" + Base + "@lb2 priority 50\n}");

        var warning = Assert.Single(result.Diagnostics, d => d.Code == "unsupported-keyword");
        Assert.Equal(1, warning.Location!.Line);
        Assert.Contains("parameter definitions", warning.Message, StringComparison.Ordinal);
        Assert.Equal([KeyValuePair.Create("lb1", 100)], Assert.Single(result.Topology!.VrrpInstances).Priorities);
        Assert.Equal(5, Assert.Single(result.Diagnostics, d => d.Code == "conditional-line").Location!.Line);
    }
}
