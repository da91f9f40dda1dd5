using Reconciler.Topology.Loading;
using Reconciler.Topology.Model;

namespace Reconciler.Topology.Tests.Loading;

/// <summary>keepalived's UDP_CHECK, PING_CHECK, DNS_CHECK and SMTP_CHECK in a file: each loads with its settings
/// and defaults, and what the file gets wrong is located.</summary>
public sealed class CheckerLoadingTests
{
    private static TopologyLoadResult Load(string check) => LoaderHelpers.Load(Samples.WithCheck(check));

    private static HealthCheck LoadCheck(string check)
    {
        var result = Load(check);
        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        // The one finding is that the service's address is no virtual address: the sample has no VRRP.
        Assert.Equal("service-address-not-virtual", Assert.Single(result.Diagnostics).Code);
        return result.Topology!.Services[0].HealthCheck!;
    }

    [Fact]
    public void Load_UdpWithSettings_BindsThem()
    {
        var check = LoadCheck("{type: udp, udp: {payload: \"ab 12 0f\", requireReply: true, replyPattern: \"ab xx\", minReplyLength: 2, maxReplyLength: 512}}");

        Assert.Equal(HealthCheckKind.Udp, check.Kind);
        Assert.Equal(new UdpCheck("ab 12 0f", true, "ab xx", 2, 512), check.Udp);
        Assert.Null(check.Http);
        Assert.Null(check.Dns);
        Assert.Null(check.Smtp);
    }

    [Fact]
    public void Load_UdpMappingWithoutKeys_IsKeepalivedsDefaults() =>
        Assert.Equal(UdpCheck.Default, LoadCheck("{type: udp, udp: {}}").Udp);

    [Fact]
    public void Load_UdpWithoutMapping_LeavesSettingsNull_AndTcpTiming()
    {
        var check = LoadCheck("{type: udp}");

        Assert.Null(check.Udp);
        Assert.Equal(1, check.Retries);
        Assert.Equal(TimeSpan.FromSeconds(1), check.DelayBeforeRetry);
    }

    [Fact]
    public void Load_Ping_HasNoSettings_AndTcpTiming()
    {
        var check = LoadCheck("{type: ping, bindAddress: 10.0.1.254}");

        Assert.Equal(HealthCheckKind.Ping, check.Kind);
        Assert.Equal(1, check.Retries);
        Assert.Equal(TimeSpan.FromSeconds(1), check.DelayBeforeRetry);
        Assert.Equal(System.Net.IPAddress.Parse("10.0.1.254"), check.BindAddress);
    }

    [Fact]
    public void Load_DnsWithQuery_BindsItAsWritten() =>
        Assert.Equal(new DnsCheck("aaaa", "www.example.com."), LoadCheck("{type: dns, dns: {type: aaaa, name: www.example.com.}}").Dns);

    [Fact]
    public void Load_DnsMappingWithoutKeys_AsksSoaOfTheRoot() =>
        Assert.Equal(new DnsCheck("SOA", "."), LoadCheck("{type: dns, dns: {}}").Dns);

    [Fact]
    public void Load_Dns_RetriesThreeTimesAnIntervalApart()
    {
        // keepalived's DNS_CHECK: retry 3, delay_before_retry = delay_loop.
        var check = LoadCheck("{type: dns, interval: 7s}");

        Assert.Null(check.Dns);
        Assert.Equal(3, check.Retries);
        Assert.Equal(TimeSpan.FromSeconds(7), check.DelayBeforeRetry);
    }

    [Fact]
    public void Load_DnsWithOwnRetryTiming_KeepsIt()
    {
        var check = LoadCheck("{type: dns, retries: 1, delayBeforeRetry: 2s}");

        Assert.Equal(1, check.Retries);
        Assert.Equal(TimeSpan.FromSeconds(2), check.DelayBeforeRetry);
    }

    [Fact]
    public void Load_SmtpWithHeloName_BindsIt() =>
        Assert.Equal(new SmtpCheck("lb1.example.com"), LoadCheck("{type: smtp, smtp: {heloName: lb1.example.com}}").Smtp);

    [Fact]
    public void Load_SmtpMappingWithoutKeys_SendsKeepalivedsName()
    {
        var check = LoadCheck("{type: smtp, smtp: {}}");

        Assert.Equal(new SmtpCheck("smtpchecker.keepalived.org"), check.Smtp);
        Assert.Equal(TimeSpan.FromSeconds(1), check.DelayBeforeRetry);
    }

    [Fact]
    public void Load_DnsTypeNotText_IsASchemaErrorAtTheValue() => Assert.Equal(
        ["topology.yaml:6:42: error: services[0].healthCheck.dns.type: expected text but found the number 5; quote it: \"5\""],
        Load("{type: dns, dns: {type: 5}}").Lines());

    [Fact]
    public void Load_UnknownDnsType_IsASchemaErrorThatNamesTheTypes() => Assert.Equal(
        ["topology.yaml:6:42: error: services[0].healthCheck.dns.type: 'SRV' is not a query type DNS_CHECK knows (A, NS, CNAME, SOA, MX, TXT, AAAA, RRSIG or DNSKEY, in any case)"],
        Load("{type: dns, dns: {type: SRV}}").Lines());

    [Fact]
    public void Load_HeloNameWithBlank_IsASchemaError() => Assert.Equal(
        ["topology.yaml:6:48: error: services[0].healthCheck.smtp.heloName: 'lb1 example' is not one word of printable ASCII (no blanks, line breaks or other control characters)"],
        Load("{type: smtp, smtp: {heloName: \"lb1 example\"}}").Lines());

    [Fact]
    public void Load_ReplyLengthBeyondADatagram_IsASchemaError() => Assert.Equal(
        ["topology.yaml:6:72: error: services[0].healthCheck.udp.maxReplyLength: 65528 is greater than the maximum 65527"],
        Load("{type: udp, udp: {requireReply: true, maxReplyLength: 65528}}").Lines());

    [Fact]
    public void Load_UnknownUdpKey_SuggestsTheKnownOne() => Assert.Equal(
        ["topology.yaml:6:36: error: services[0].healthCheck.udp.require_reply: unknown property 'require_reply'; did you mean 'requireReply'?"],
        Load("{type: udp, udp: {require_reply: true}}").Lines());

    [Theory]
    [InlineData("{type: tcp, udp: {}}", "topology.yaml:6:30: error: services[0].healthCheck.udp: udp settings apply to type udp, not tcp")]
    [InlineData("{type: ping, dns: {}}", "topology.yaml:6:31: error: services[0].healthCheck.dns: dns settings apply to type dns, not ping")]
    [InlineData("{type: udp, smtp: {}}", "topology.yaml:6:30: error: services[0].healthCheck.smtp: smtp settings apply to type smtp, not udp")]
    public void Load_SettingsOfAnotherKind_AreRefusedAtTheirKey(string check, string expected) =>
        Assert.Equal([expected], Load(check).Lines());
}
