using System.Net;
using Reconciler.Topology.Model;
using Reconciler.Topology.Tests.Loading;
using static Reconciler.Topology.Tests.Validation.ValidationHelpers;

namespace Reconciler.Topology.Tests.Validation.Rules;

public sealed class VirtualRouterIdRangeRuleTests
{
    [Fact]
    public void Check_VridZero_Reports() => Assert.Equal(
        ["topology.yaml:15:22: error: vrrpInstances[0].virtualRouterId: virtual router id 0 is outside 1..255"],
        ValidateChangedSeed(t => t.WithInstance(i => i with { VirtualRouterId = 0 }), "vrid-range"));
}

public sealed class PriorityRangeRuleTests
{
    [Fact]
    public void Check_PriorityZero_Reports() => Assert.Equal(
        ["topology.yaml:16:33: error: vrrpInstances[0].priorities.lb2: priority 0 of lb2 is outside 1..255"],
        ValidateChangedSeed(t => t.WithInstance(i => i with { Priorities = ValueMap<int>.Create([new("lb1", 100), new("lb2", 0)]) }), "priority-range"));

    [Fact]
    public void Check_NoPriorities_Reports() => Assert.Equal(
        ["topology.yaml:16:17: error: vrrpInstances[0].priorities: instance 'VI_1' gives no node a priority, so no node runs it"],
        ValidateChangedSeed(t => t.WithInstance(i => i with { Priorities = ValueMap<int>.Empty }), "priority-range"));
}

public sealed class VrrpVersionRuleTests
{
    [Fact]
    public void Check_Version4_Reports() => Assert.Equal(
        // The seed leaves version out, so the finding falls back to the instance.
        ["topology.yaml:13:5: error: vrrpInstances[0].version: VRRP version 4 does not exist; use 2 or 3"],
        ValidateChangedSeed(t => t.WithInstance(i => i with { Version = 4 }), "vrrp-version"));
}

public sealed class WeightRangeRuleTests
{
    [Fact]
    public void Check_RealServerWeightTooBig_Reports() => Assert.Equal(
        ["topology.yaml:40:17: error: services[0].realServers[1].weight: weight 70000 is outside 0..65535"],
        ValidateChangedSeed(
            t => t.WithService(s => s with { RealServers = [s.RealServers[0], s.RealServers[1] with { Weight = 70000 }] }),
            "weight-range"));

    [Fact]
    public void Check_CheckWeightTooBig_Reports() => Assert.Equal(
        ["topology.yaml:11:13: error: checks[0].weight: weight -254 is outside -253..253"],
        ValidateChangedSeed(t => t with { Checks = [t.Checks[0] with { Weight = -254 }] }, "weight-range"));

    [Fact]
    public void Check_SyncGroupTrackWeightsTooBig_Report() => Assert.Equal(
        [
            "topology.yaml:28:45: error: vrrpSyncGroups[0].trackChecks[0].weight: weight 254 is outside -253..253",
            // The file leaves the interface's weight out, so the finding falls back to the reference.
            "topology.yaml:29:23: error: vrrpSyncGroups[0].trackInterfaces[0].weight: weight -300 is outside -253..253",
        ],
        ValidateChangedSyncPair(
            t => t.WithSyncGroup(g => g with { TrackChecks = [g.TrackChecks[0] with { Weight = 254 }], TrackInterfaces = [g.TrackInterfaces[0] with { Weight = -300 }] }),
            "weight-range"));
}

public sealed class SchedulerRuleTests
{
    [Fact]
    public void Check_UnknownScheduler_Reports() => Assert.Equal(
        ["topology.yaml:24:16: error: services[0].scheduler: 'wrrr' is not an IPVS scheduler; did you mean 'wrr'?"],
        ValidateChangedSeed(t => t.WithService(s => s with { Scheduler = "wrrr" }), "scheduler"));
}

public sealed class HealthCheckSettingsRuleTests
{
    [Fact]
    public void Check_HttpSettingsOnTcpCheck_Reports() => Assert.Equal(
        ["topology.yaml:29:7: error: services[0].healthCheck.http: http settings apply to type http or https only"],
        ValidateChangedSeed(t => t.WithService(s => s with { HealthCheck = s.HealthCheck! with { Http = TopologyDefaults.Http } }), "health-check-settings"));

    [Fact]
    public void Check_ExecWithoutCommand_Reports() => Assert.Equal(
        ["topology.yaml:29:7: error: services[0].healthCheck: an exec check needs exec settings with a command"],
        ValidateChangedSeed(t => t.WithService(s => s with { HealthCheck = s.HealthCheck! with { Kind = HealthCheckKind.Exec } }), "health-check-settings"));

    [Fact]
    public void Check_OtherKindsSettings_ReportEachAtItsKey() => Assert.Equal(
        [
            // The file has none of them, so the findings fall back to the check.
            "topology.yaml:6:18: error: services[0].healthCheck.udp: udp settings apply to type udp only",
            "topology.yaml:6:18: error: services[0].healthCheck.dns: dns settings apply to type dns only",
            "topology.yaml:6:18: error: services[0].healthCheck.smtp: smtp settings apply to type smtp only",
        ],
        ValidateChangedCheck("{type: ping}", c => c with { Udp = UdpCheck.Default, Dns = DnsCheck.Default, Smtp = TopologyDefaults.Smtp }, "health-check-settings"));

    [Fact]
    public void Check_OwnKindsSettings_AreQuiet() => Assert.Empty(
        ValidateChangedCheck("{type: dns, dns: {}}", c => c with { Dns = new DnsCheck("MX", "example.com") }, "health-check-settings"));

    [Fact]
    public void Check_PingWithPort_WarnsAtThePort()
    {
        var result = LoaderHelpers.Load(Samples.WithCheck("{type: ping, port: 53}"));

        Assert.True(result.IsValid);
        Assert.Equal(
            "topology.yaml:6:37: warning: services[0].healthCheck.port: a ping check has no port (ICMP echo); port 53 is ignored",
            result.Single("health-check-settings").ToString());
    }
}

public sealed class InvalidNameRuleTests
{
    [Fact]
    public void Check_NameWithTrailingNewline_Reports() => Assert.Equal(
        ["topology.yaml:21:11: error: services[0].name: 'web\\u000A' is not a valid name (letters, digits, '_', '.', '-', starting with a letter or digit, at most 64)"],
        ValidateChangedSeed(t => t.WithService(s => s with { Name = "web\n" }), "invalid-name"));

    [Fact]
    public void Check_SyncGroupNameWithSpace_Reports() => Assert.Equal(
        ["topology.yaml:26:11: error: vrrpSyncGroups[0].name: 'VG 1' is not a valid name (letters, digits, '_', '.', '-', starting with a letter or digit, at most 64)"],
        ValidateChangedSyncPair(t => t.WithSyncGroup(g => g with { Name = "VG 1" }), "invalid-name"));

    [Fact]
    public void Check_InterfaceNameTooLong_Reports() => Assert.Equal(
        ["topology.yaml:14:16: error: vrrpInstances[0].interface: 'a-very-long-interface' is not a valid interface name (1 to 15 characters, no '/', ':' or spaces)"],
        ValidateChangedSeed(t => t.WithInstance(i => i with { Interface = "a-very-long-interface" }), "invalid-name"));
}

public sealed class UnicastPeerMissingRuleTests
{
    [Fact]
    public void Check_NodeAddressNotAPeer_Warns() => Assert.Equal(
        ["topology.yaml:19:19: warning: vrrpInstances[0].unicastPeers: node lb2 takes part in 'VI_1' but none of its IPv4 addresses (192.168.1.103) is a unicast peer, so it never receives the others' adverts"],
        LoaderHelpers.Load(Samples.SeedYaml.Replace("    trackChecks:", "    unicastPeers: [192.168.1.104, 192.168.1.105]\n    trackChecks:", StringComparison.Ordinal))
            .Diagnostics.Where(d => d.Code == "unicast-peer-missing").Select(d => d.ToString()));

    [Fact]
    public void Check_AllNodesArePeers_IsQuiet() => Assert.Empty(
        ValidateChangedSeed(t => t.WithInstance(i => i with { UnicastPeers = [IPAddress.Parse("192.168.1.103"), IPAddress.Parse("192.168.1.104")] }), "unicast-peer-missing"));
}
