using System.Net;
using Reconciler.Topology.Model;
using static Reconciler.Keepalived.Tests.Import.ImportHelper;

namespace Reconciler.Keepalived.Tests.Import;

public sealed class SmtpCheckImportTests
{
    private static string InRealServer(string lines) => "virtual_server 10.0.0.1 25 {\n real_server 10.0.1.1 25 {\n  SMTP_CHECK {\n" + lines + "\n  }\n }\n}";

    [Fact]
    public void SmtpCheck_Defaults_FollowKeepalived()
    {
        var check = Check("SMTP_CHECK {\n}");

        Assert.Equal(
            new HealthCheck(HealthCheckKind.Smtp, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5), 1, TimeSpan.FromSeconds(1), 1, 1, TimeSpan.FromSeconds(60), null, null, null, null, null),
            check);
        Assert.Null(check.Smtp);
    }

    [Fact]
    public void HeloNameAndConnection()
    {
        var check = Check("SMTP_CHECK {\n helo_name \"lb1.example.com\"\n connect_port 2525\n bindto 10.0.0.5\n}");

        Assert.Equal(new SmtpCheck("lb1.example.com"), check.Smtp);
        Assert.Equal((2525, IPAddress.Parse("10.0.0.5")), (check.Port, check.BindAddress));
    }

    [Fact]
    public void HeloNameWithoutValue_IsMissingValue() =>
        Assert.Equal(4, Single(Run(InRealServer("   helo_name")), "missing-value").Location!.Line);

    [Fact]
    public void HostBlocks_FirstIsTheTarget_OthersAreDroppedButTheirTimingApplies()
    {
        var result = Run(InRealServer("""
               helo_name lb1.example.com
               host {
                 connect_ip 10.0.1.9
                 connect_port 2525
                 connect_timeout 2
               }
               host {
                 connect_port 26
                 retry 4
               }
            """));

        var check = result.Topology!.Services[0].HealthCheck!;
        Assert.Equal((2525, TimeSpan.FromSeconds(2), 4), (check.Port, check.ConnectTimeout, check.Retries));
        Assert.Equal(new SmtpCheck("lb1.example.com"), check.Smtp);
        Assert.Equal([6, 11], result.Diagnostics.Where(d => d.Code == "unsupported-keyword").Select(d => d.Location!.Line));
        Assert.Equal((10, 4), (Single(result, "smtp-host").Location!.Line, Single(result, "smtp-host").Location!.Column));
    }

    [Fact]
    public void HostBlock_WithTheCheckersOwnConnection_IsDropped()
    {
        var result = Run(InRealServer("   connect_timeout 3\n   host {\n    connect_port 2525\n   }"));

        var check = result.Topology!.Services[0].HealthCheck!;
        Assert.Equal((null, TimeSpan.FromSeconds(3)), (check.Port, check.ConnectTimeout));
        Assert.Contains("own connection", Single(result, "smtp-host").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TargetHost_WithoutConnectTimeout_TakesTheCascade_AndSaysKeepalivedDiffers()
    {
        var result = Run(InRealServer("   host {\n    connect_port 2525\n   }"));

        Assert.Equal(TimeSpan.FromSeconds(5), result.Topology!.Services[0].HealthCheck!.ConnectTimeout);
        Assert.Equal(4, Single(result, "invalid-value").Location!.Line);
    }
}
