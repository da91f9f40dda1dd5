namespace Reconciler.Topology.Tests.Loading;

/// <summary>What only binding can see: addresses, settings that exclude each other, URLs.</summary>
public sealed class BindingTests
{
    private static string[] Errors(string yaml) =>
        LoaderHelpers.Load(yaml).Diagnostics.Where(d => d.IsError).Select(d => d.ToString()).ToArray();

    [Fact]
    public void Bind_BadAddresses_AreReportedEach() => Assert.Equal(
        [
            "topology.yaml:3:17: error: nodes[0].addresses[0]: '192.168.1.300' is not an IP address",
            "topology.yaml:3:32: error: nodes[0].addresses[1]: '10.1.2' is not an IP address",
            "topology.yaml:3:40: error: nodes[0].addresses[2]: '10.0.0.0/8' is a prefix; an address is expected here",
        ],
        Errors(Samples.SeedYaml.Replace("addresses: [192.168.1.104]", "addresses: [192.168.1.300, 10.1.2, 10.0.0.0/8]", StringComparison.Ordinal)));

    [Fact]
    public void Bind_BadVirtualAddresses_AreReported() => Assert.Equal(
        [
            "topology.yaml:18:24: error: vrrpInstances[0].virtualAddresses[0]: '192.168.1.120/33' is not an address or ADDRESS/PREFIX-LENGTH (examples: 192.168.1.120, 192.168.1.120/24, 2001:db8::1/64)",
            "topology.yaml:18:42: error: vrrpInstances[0].virtualAddresses[1]: 'foo' is not an address or ADDRESS/PREFIX-LENGTH (examples: 192.168.1.120, 192.168.1.120/24, 2001:db8::1/64)",
        ],
        Errors(Samples.SeedYaml.Replace("virtualAddresses: [192.168.1.120]", "virtualAddresses: [192.168.1.120/33, foo]", StringComparison.Ordinal)));

    [Fact]
    public void Bind_FirewallMarkWithAddress_ReportsEachExtra() => Assert.Equal(
        [
            "topology.yaml:22:5: error: services[0].address: a firewall-mark service has no address: the mark selects its packets",
            "topology.yaml:23:5: error: services[0].port: a firewall-mark service has no port: the mark selects its packets",
        ],
        Errors(Samples.SeedYaml.Replace("    port: 80\n    scheduler", "    port: 80\n    firewallMark: 5\n    scheduler", StringComparison.Ordinal)));

    [Fact]
    public void Bind_ServiceWithoutAddressOrMark_Reports() => Assert.Equal(
        ["topology.yaml:21:5: error: services[0]: a service needs address and port, or firewallMark"],
        Errors(Samples.SeedYaml.Replace("    address: 192.168.1.120\n    port: 80\n", string.Empty, StringComparison.Ordinal)));

    [Fact]
    public void Bind_FamilyOnAddressService_Reports() => Assert.Equal(
        ["topology.yaml:25:5: error: services[0].family: family is only for firewall-mark services (an address has its own)"],
        Errors(Samples.SeedYaml.Replace("    scheduler: wrr\n", "    scheduler: wrr\n    family: ipv6\n", StringComparison.Ordinal)));

    [Fact]
    public void Bind_ExecCheckWithoutCommand_Reports() => Assert.Equal(
        ["topology.yaml:29:7: error: services[0].healthCheck: type exec needs exec: {command: [...]}"],
        Errors(Samples.SeedYaml.Replace("      type: tcp\n", "      type: exec\n", StringComparison.Ordinal)));

    [Fact]
    public void Bind_HttpSettingsOnTcpCheck_Reports() => Assert.Equal(
        ["topology.yaml:35:7: error: services[0].healthCheck.http: http settings apply to type http or https, not tcp"],
        Errors(Samples.SeedYaml.Replace("      port: 80\n    realServers", "      port: 80\n      http: {path: /x}\n    realServers", StringComparison.Ordinal)));

    [Fact]
    public void Bind_PasswordAndPasswordFile_Reports() => Assert.Equal(
        ["topology.yaml:17:21: error: vrrpInstances[0].authentication: give either password or passwordFile"],
        Errors(Samples.SeedYaml.Replace("{password: \"1111\"}", "{password: \"1111\", passwordFile: /etc/p}", StringComparison.Ordinal)));

    [Fact]
    public void Bind_NonHttpWebhook_Reports() => Assert.Equal(
        ["topology.yaml:19:23: error: vrrpInstances[0].notify.webhook: 'ftp://x' is not an http:// or https:// URL"],
        Errors(Samples.SeedYaml.Replace("    trackChecks:", "    notify: {webhook: \"ftp://x\"}\n    trackChecks:", StringComparison.Ordinal)));

    [Fact]
    public void Bind_DurationTooLong_Reports() => Assert.Equal(
        ["topology.yaml:30:17: error: services[0].healthCheck.interval: '99999999999999999h' is not a duration (examples: 100ms, 1s, 1.5s, 5m, 1h30m)"],
        Errors(Samples.SeedYaml.Replace("interval: 6s", "interval: 99999999999999999h", StringComparison.Ordinal)));

    [Fact]
    public void Bind_Defaults_AreFilledIn()
    {
        var result = LoaderHelpers.Load(
            "checks:\n  - name: c\n    command: [x]\n    interval: 2s\nservices:\n  - name: s\n    firewallMark: 7\n    healthCheck: {type: http, interval: 3s}\n    realServers:\n      - {address: 10.0.0.1, port: 80, healthCheck: {type: exec, exec: {command: [/bin/check]}}}\n");

        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        var check = result.Topology!.Checks[0];
        Assert.Equal(TimeSpan.FromSeconds(2), check.Timeout);
        var service = result.Topology.Services[0];
        Assert.Equal(System.Net.Sockets.AddressFamily.InterNetwork, service.Family);
        Assert.Equal("wlc", service.Scheduler);
        Assert.Equal(Topology.Model.Forwarding.Nat, service.Forwarding);
        Assert.Equal(TopologyDefaults.Http, service.HealthCheck!.Http);
        Assert.Equal(TimeSpan.FromSeconds(3), service.HealthCheck.DelayBeforeRetry);
        var exec = service.RealServers[0].HealthCheck!;
        Assert.Equal(TimeSpan.FromSeconds(10), exec.Interval);
        Assert.Equal(TimeSpan.FromSeconds(10), exec.Exec!.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(1), exec.DelayBeforeRetry);
        Assert.Equal(1, service.RealServers[0].Weight);
    }
}
