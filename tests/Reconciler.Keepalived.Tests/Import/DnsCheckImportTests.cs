using Reconciler.Topology.Model;
using static Reconciler.Keepalived.Tests.Import.ImportHelper;

namespace Reconciler.Keepalived.Tests.Import;

public sealed class DnsCheckImportTests
{
    private static string InRealServer(string lines) => "virtual_server 10.0.0.1 53 {\n real_server 10.0.1.1 53 {\n  DNS_CHECK {\n" + lines + "\n  }\n }\n}";

    [Fact]
    public void DnsCheck_Defaults_RetryThreeAndDelayBeforeRetryTheDelayLoop()
    {
        var check = Check("DNS_CHECK {\n}", service: "delay_loop 9");

        Assert.Equal(
            new HealthCheck(HealthCheckKind.Dns, TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(5), 3, TimeSpan.FromSeconds(9), 1, 1, TimeSpan.FromSeconds(9), null, null, null, null, null),
            check);
        Assert.Null(check.Dns);
    }

    [Fact]
    public void DnsCheck_RetryAndDelayBeforeRetry_CascadeOverTheKindsDefaults()
    {
        var check = Check("DNS_CHECK {\n}", service: "retry 2", realServer: "delay_before_retry 4");

        Assert.Equal((2, TimeSpan.FromSeconds(4)), (check.Retries, check.DelayBeforeRetry));
    }

    [Fact]
    public void TypeAndName_TypeInUpperCase()
    {
        var check = Check("DNS_CHECK {\n type aaaa\n name www.example.com\n connect_port 5353\n retry 1\n}");

        Assert.Equal(new DnsCheck("AAAA", "www.example.com"), check.Dns);
        Assert.Equal((5353, 1), (check.Port, check.Retries));
    }

    [Fact]
    public void UnknownType_IsLocatedError()
    {
        var error = Assert.Single(Run(InRealServer("   type QQ")).Diagnostics, d => d.IsError);

        Assert.Equal(("invalid-value", 4, 9), (error.Code, error.Location!.Line, error.Location.Column));
    }

    [Theory]
    [InlineData("www..example.com")]
    [InlineData(".example.com")]
    public void NameWithEmptyLabel_IsLocatedError(string name)
    {
        var error = Assert.Single(Run(InRealServer("   name " + name)).Diagnostics, d => d.IsError);

        Assert.Equal((4, 9), (error.Location!.Line, error.Location.Column));
    }

    [Fact]
    public void SecondName_IsDropped_KeepalivedKeepsTheFirst()
    {
        var result = Run(InRealServer("   name a1.example.com\n   name b2.example.com"));

        Assert.Equal("a1.example.com", result.Topology!.Services[0].HealthCheck!.Dns!.Name);
        Assert.Equal(5, Single(result, "unsupported-keyword").Location!.Line);
    }

    [Fact]
    public void OneCharacterFirstLabel_IsKeptWithAWarning_Keepalived227IgnoresIt()
    {
        var result = Run(InRealServer("   name a.example.com"));

        Assert.Equal(new DnsCheck("SOA", "a.example.com"), result.Topology!.Services[0].HealthCheck!.Dns);
        Assert.Contains("2.2.7", Single(result, "invalid-value").Message, StringComparison.Ordinal);
    }
}
