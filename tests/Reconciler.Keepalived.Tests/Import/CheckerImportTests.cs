using System.Net;
using Reconciler.Keepalived.Import;
using Reconciler.Topology.Model;
using static Reconciler.Keepalived.Tests.Import.ImportHelper;

namespace Reconciler.Keepalived.Tests.Import;

public sealed class CheckerImportTests
{
    /// <summary>keepalived's status codes for a url without status_code: any 2xx.</summary>
    private static readonly ValueList<int> AnyTwoHundred = Enumerable.Range(200, 100).ToValueList();

    [Fact]
    public void TcpCheck_Defaults_FollowKeepalived()
    {
        var check = Check("TCP_CHECK {\n}");

        Assert.Equal(
            new HealthCheck(HealthCheckKind.Tcp, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5), 1, TimeSpan.FromSeconds(1), 1, 1, TimeSpan.FromSeconds(60), null, null, null, null, null),
            check);
    }

    [Theory]
    [InlineData("nb_get_retry 3")]
    [InlineData("retry 3")]
    public void Retry_BothSpellings(string line) => Assert.Equal(3, Check("TCP_CHECK {\n" + line + "\n}").Retries);

    [Fact]
    public void TcpCheck_AllSettings()
    {
        var check = Check("TCP_CHECK {\n connect_port 9000\n bindto 10.0.0.5\n connect_timeout 3\n retry 2\n delay_before_retry 4\n warmup 7\n delay_loop 9\n}");

        Assert.Equal(
            new HealthCheck(HealthCheckKind.Tcp, TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(3), 2, TimeSpan.FromSeconds(4), 1, 1, TimeSpan.FromSeconds(7), 9000, IPAddress.Parse("10.0.0.5"), null, null, null),
            check);
    }

    [Fact]
    public void ConnectPort_EqualToRealServerPort_IsLeftImplicit() =>
        Assert.Null(Check("TCP_CHECK {\n connect_port 8080\n}").Port);

    [Fact]
    public void Settings_CascadeFromVirtualServerThroughRealServer()
    {
        var check = Check(
            "TCP_CHECK {\n retry 4\n}",
            service: "delay_loop 6\nconnect_timeout 2\nretry 9\ndelay_before_retry 8\nwarmup 1",
            realServer: "connect_timeout 3\ndelay_before_retry 5");

        Assert.Equal(TimeSpan.FromSeconds(6), check.Interval);
        Assert.Equal(TimeSpan.FromSeconds(3), check.ConnectTimeout);
        Assert.Equal(4, check.Retries);
        Assert.Equal(TimeSpan.FromSeconds(5), check.DelayBeforeRetry);
        Assert.Equal(TimeSpan.FromSeconds(1), check.Warmup);
    }

    [Fact]
    public void HttpGet_UrlAndVirtualhost()
    {
        var check = Check("""
            HTTP_GET {
                url {
                    path /healthz
                    digest 9B3A0C85A887A256D6939DA88AABD8CD
                    status_code 200 204
                }
                connect_timeout 3
            }
            """, service: "virtualhost www.example.com");

        Assert.Equal(HealthCheckKind.Http, check.Kind);
        Assert.Equal(new HttpCheck("/healthz", [200, 204], "9b3a0c85a887a256d6939da88aabd8cd", "www.example.com", true), check.Http);
        Assert.Equal(TimeSpan.FromSeconds(3), check.DelayBeforeRetry);
    }

    [Fact]
    public void HttpGet_StatusRangeAndDefault()
    {
        Assert.Equal([200, 201, 202, 301], Check("HTTP_GET {\nurl {\npath /\nstatus_code 200-202 301\n}\n}").Http!.ExpectedStatus);
        Assert.Equal(Enumerable.Range(200, 100), Check("HTTP_GET {\nurl {\npath /\n}\n}").Http!.ExpectedStatus);
    }

    [Fact]
    public void SslGet_IsHttpsWithoutCertificateVerification()
    {
        var check = Check("SSL_GET {\n url {\n  path /\n  status_code 200\n  virtualhost api.example.com\n }\n virtualhost ignored.example.com\n}");

        Assert.Equal(HealthCheckKind.Https, check.Kind);
        Assert.Equal(new HttpCheck("/", [200], null, "api.example.com", false), check.Http);
    }

    [Fact]
    public void HttpGet_SeveralUrls_AreEachImportedInOrder_WithTheirOwnSettings()
    {
        var check = Check("""
            HTTP_GET {
                url {
                    path /a
                }
                url {
                    path /b
                    digest 9B3A0C85A887A256D6939DA88AABD8CD
                    status_code 200-201 404
                }
                url {
                    path /c
                    virtualhost c.example.com
                }
                virtualhost www.example.com
            }
            """, service: "virtualhost ignored.example.com");

        Assert.Equal(
            [
                new HttpUrl("/a", AnyTwoHundred, null, "www.example.com"),
                new HttpUrl("/b", [200, 201, 404], "9b3a0c85a887a256d6939da88aabd8cd", "www.example.com"),
                new HttpUrl("/c", AnyTwoHundred, null, "c.example.com"),
            ],
            check.Http!.AllUrls());
        Assert.True(check.Http.VerifyTls);
    }

    [Fact]
    public void SslGet_SeveralUrls_TakeTheVirtualServersHost_AndNoWarning()
    {
        var result = Run("virtual_server 10.0.0.1 443 {\n virtualhost vs.example.com\n real_server 10.0.1.1 443 {\n  SSL_GET {\n   url {\n    path /a\n   }\n   url {\n    path /b\n   }\n  }\n }\n}");

        var http = result.Topology!.Services[0].HealthCheck!.Http!;
        Assert.Equal(["/a", "/b"], http.AllUrls().Select(u => u.Path));
        Assert.All(http.AllUrls(), u => Assert.Equal("vs.example.com", u.Host));
        Assert.DoesNotContain(result.Diagnostics, d => d.Location?.Line is >= 5 and <= 10);
        var urlStatements = result.Report.Nodes[0].Statements.Where(s => s.Keyword.Contains("/url", StringComparison.Ordinal)).ToList();
        Assert.Equal([5, 6, 8, 9], urlStatements.Select(s => s.Location.Line));
        Assert.All(urlStatements, s => Assert.Equal(ImportOutcome.Imported, s.Outcome));
    }

    [Fact]
    public void HttpGet_SecondUrlWithoutPath_IsErrorAtThatUrl()
    {
        var result = Run("virtual_server 10.0.0.1 80 {\n real_server 10.0.1.1 80 {\n  HTTP_GET {\n   url {\n    path /a\n   }\n   url {\n    status_code 200\n   }\n  }\n }\n}");

        Assert.Contains(result.Diagnostics, d => d.IsError && d.Location!.Line == 7);
    }

    [Fact]
    public void HttpGet_WithoutUrl_IsError()
    {
        var result = Run("virtual_server 10.0.0.1 80 {\n real_server 10.0.1.1 80 {\n  HTTP_GET {\n  }\n }\n}");

        Assert.Contains(result.Diagnostics, d => d.IsError && d.Location!.Line == 3);
    }

    [Fact]
    public void MiscCheck_PathTimeoutDynamic()
    {
        var check = Check("MISC_CHECK {\n misc_path \"/usr/local/bin/check.sh 10.0.1.1 'a b'\"\n misc_timeout 4\n misc_dynamic\n}", service: "delay_loop 10");

        Assert.Equal(HealthCheckKind.Exec, check.Kind);
        Assert.Equal(new ExecCheck(["/usr/local/bin/check.sh", "10.0.1.1", "a b"], TimeSpan.FromSeconds(4), true), check.Exec);
        Assert.Equal(0, check.Retries);
        Assert.Equal(TimeSpan.FromSeconds(1), check.DelayBeforeRetry);
        Assert.Null(check.Port);
    }

    [Fact]
    public void MiscCheck_TimeoutDefaultsToDelayLoop() =>
        Assert.Equal(TimeSpan.FromSeconds(15), Check("MISC_CHECK {\n misc_path /bin/true\n}", service: "delay_loop 15").Exec!.Timeout);

    [Fact]
    public void SecondChecker_IsWarningAndFirstWins()
    {
        var result = Run("virtual_server 10.0.0.1 80 {\n real_server 10.0.1.1 80 {\n  TCP_CHECK {\n  }\n  MISC_CHECK {\n   misc_path /bin/true\n  }\n }\n}");

        Assert.Equal(HealthCheckKind.Tcp, result.Topology!.Services[0].HealthCheck!.Kind);
        var warning = Single(result, "second-checker");
        Assert.Equal((5, 3), (warning.Location!.Line, warning.Location.Column));
    }

    [Fact]
    public void SharedCheck_IsHoistedToTheService_DifferentChecksStayPerServer()
    {
        var same = Service("real_server 10.0.1.1 80 {\n TCP_CHECK {\n }\n}\nreal_server 10.0.1.2 80 {\n TCP_CHECK {\n }\n}");
        Assert.NotNull(same.HealthCheck);
        Assert.All(same.RealServers, r => Assert.Null(r.HealthCheck));

        var different = Service("real_server 10.0.1.1 80 {\n TCP_CHECK {\n }\n}\nreal_server 10.0.1.2 80 {\n TCP_CHECK {\n  retry 5\n }\n}");
        Assert.Null(different.HealthCheck);
        Assert.All(different.RealServers, r => Assert.NotNull(r.HealthCheck));

        var partial = Service("real_server 10.0.1.1 80 {\n TCP_CHECK {\n }\n}\nreal_server 10.0.1.2 80 {\n}");
        Assert.Null(partial.HealthCheck);
        Assert.Null(partial.RealServers[1].HealthCheck);
    }

    [Fact]
    public void UnsupportedCheckerKeywords_AreWarned()
    {
        var result = Run("virtual_server 10.0.0.1 80 {\n real_server 10.0.1.1 80 {\n  HTTP_GET {\n   url {\n    path /\n    regex ok\n   }\n   connect_ip 10.0.0.9\n   enable_sni\n  }\n }\n}");

        Assert.Equal(
            [(6, "regex"), (8, "connect_ip"), (9, "enable_sni")],
            result.Diagnostics.Where(d => d.Code == "unsupported-keyword").Select(d => (d.Location!.Line, d.Message.Split('\'')[1])));
    }

    [Fact]
    public void PingCheck_ConnectionSettings_PortDropped()
    {
        var result = Run("virtual_server 10.0.0.1 80 {\n real_server 10.0.1.1 80 {\n  PING_CHECK {\n   connect_port 99\n   connect_timeout 2\n   bindto 10.0.0.5\n  }\n }\n}");

        Assert.Equal(
            new HealthCheck(HealthCheckKind.Ping, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(2), 1, TimeSpan.FromSeconds(1), 1, 1, TimeSpan.FromSeconds(60), null, IPAddress.Parse("10.0.0.5"), null, null, null),
            result.Topology!.Services[0].HealthCheck);
        Assert.Contains("a ping has no port", Single(result, "unsupported-keyword").Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("UDP_CHECK", HealthCheckKind.Udp)]
    [InlineData("PING_CHECK", HealthCheckKind.Ping)]
    [InlineData("DNS_CHECK", HealthCheckKind.Dns)]
    [InlineData("SMTP_CHECK", HealthCheckKind.Smtp)]
    public void NewCheckers_GenericOptions_AsForTcpCheck(string keyword, HealthCheckKind kind)
    {
        var result = Run($"virtual_server 10.0.0.1 80 {{\n real_server 10.0.1.1 80 {{\n  {keyword} {{\n" +
            "   connect_ip 10.0.0.9\n   bind_if eth0\n   bind_port 1000\n   fwmark 7\n   alpha\n   log_all_failures\n" +
            "   bindto 10.0.0.5\n   connect_timeout 3\n   nb_get_retry 2\n   delay_before_retry 4\n   warmup 7\n   delay_loop 9\n  }\n }\n}");

        Assert.Equal(
            new HealthCheck(kind, TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(3), 2, TimeSpan.FromSeconds(4), 1, 1, TimeSpan.FromSeconds(7), null, IPAddress.Parse("10.0.0.5"), null, null, null) { Alpha = true },
            result.Topology!.Services[0].HealthCheck);
        Assert.Equal(
            [(4, "connect_ip"), (5, "bind_if"), (6, "bind_port"), (7, "fwmark"), (9, "log_all_failures")],
            result.Diagnostics.Where(d => d.Code == "unsupported-keyword").Select(d => (d.Location!.Line, d.Message.Split('\'')[1])));
    }

    [Theory]
    [InlineData("", "", "", false)]
    [InlineData("alpha", "", "", true)]
    [InlineData("alpha", "alpha no", "", false)]
    [InlineData("", "alpha", "alpha off", false)]
    [InlineData("alpha no", "", "alpha", true)]
    public void Alpha_CascadesFromVirtualServerToRealServerToChecker_TheNearestWins(string service, string realServer, string checker, bool expected)
    {
        var result = Run($"virtual_server 10.0.0.1 80 {{\n {service}\n real_server 10.0.1.1 80 {{\n  {realServer}\n  TCP_CHECK {{\n   {checker}\n  }}\n }}\n}}");

        Assert.Equal(expected, result.Topology!.Services[0].HealthCheck!.Alpha);
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == "unsupported-keyword");
    }

    [Fact]
    public void SecondChecker_OfANewKind_IsDroppedAsAnyOther()
    {
        var result = Run("virtual_server 10.0.0.1 53 {\n real_server 10.0.1.1 53 {\n  DNS_CHECK {\n  }\n  PING_CHECK {\n  }\n }\n}");

        Assert.Equal(HealthCheckKind.Dns, result.Topology!.Services[0].HealthCheck!.Kind);
        Assert.Equal(5, Single(result, "second-checker").Location!.Line);
    }
}
