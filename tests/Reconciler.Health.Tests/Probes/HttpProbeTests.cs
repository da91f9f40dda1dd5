using System.Net;
using System.Security.Cryptography;
using Reconciler.Health.Probes;
using Reconciler.Health.Tests.Support;
using Reconciler.Topology.Model;

namespace Reconciler.Health.Tests.Probes;

/// <summary>A tiny HTTP responder on loopback, real time (bounds generous, no timing assertions).</summary>
public sealed class HttpProbeTests : IDisposable
{
    private readonly HealthProbeFactory _factory = new(TimeProvider.System);

    public void Dispose() => _factory.Dispose();

    private IHealthProbe Probe(int port, HttpCheck http, bool https = false, double timeoutSeconds = 5) =>
        _factory.Create(new HealthCheckTarget("web", IPAddress.Loopback, port,
            Build.Check(https ? HealthCheckKind.Https : HealthCheckKind.Http, timeoutSeconds: timeoutSeconds, http: http)));

    private static HttpCheck Get(string path = "/", int[]? status = null, string? digest = null, string? host = null, bool verifyTls = true) =>
        new(path, [.. status ?? [200]], digest, host, verifyTls);

    private static string Md5Hex(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(MD5.HashData(body));

    [Fact]
    public async Task Probe_Status200_Healthy()
    {
        await using var server = new TinyHttpServer();

        var result = await Probe(server.Port, Get("/health")).ProbeAsync(TestContext.Current.CancellationToken);

        Assert.True(result.Healthy, result.Detail);
        Assert.Equal($"http GET http://127.0.0.1:{server.Port}/health status 200", result.Detail);
        Assert.StartsWith("GET /health HTTP/1.1\r\n", Assert.Single(server.Requests), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_MoreUrls_AllPass_HealthyAfterFetchingEachInOrder()
    {
        await using var server = new TinyHttpServer();
        server.ByPath["/b"] = (202, "b\n"u8.ToArray());
        var check = Get("/a") with { MoreUrls = [new HttpUrl("/b", [202], Md5Hex("b\n"u8), null), new HttpUrl("/c", [200], null, "c.example")] };

        var result = await Probe(server.Port, check).ProbeAsync(TestContext.Current.CancellationToken);

        Assert.True(result.Healthy, result.Detail);
        var requests = server.Requests.ToArray();
        Assert.Equal(["GET /a ", "GET /b ", "GET /c "], requests.Select(r => r[..(r.IndexOf(' ', 4) + 1)]));
        Assert.Contains("\r\nHost: c.example\r\n", requests[2], StringComparison.Ordinal);
        Assert.DoesNotContain("c.example", requests[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_MoreUrls_FirstFailingUrlFailsTheAttempt_NamingIt_AndLaterUrlsAreNotFetched()
    {
        await using var server = new TinyHttpServer();
        server.ByPath["/b"] = (200, "changed\n"u8.ToArray());
        var check = Get("/a") with { MoreUrls = [new HttpUrl("/b", [200], Md5Hex("b\n"u8), null), new HttpUrl("/c", [200], null, null)] };

        var result = await Probe(server.Port, check).ProbeAsync(TestContext.Current.CancellationToken);

        Assert.False(result.Healthy);
        Assert.Equal($"http GET http://127.0.0.1:{server.Port}/b digest {Md5Hex("changed\n"u8)} (expected {Md5Hex("b\n"u8)}) (url 2 of 3)", result.Detail);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Probe_MoreUrls_EachUrlHasItsOwnStatus()
    {
        await using var server = new TinyHttpServer();
        server.ByPath["/gone"] = (404, "no\n"u8.ToArray());
        var expectsGone = Get("/") with { MoreUrls = [new HttpUrl("/gone", [404], null, null)] };
        var expectsOk = Get("/") with { MoreUrls = [new HttpUrl("/gone", [200], null, null)] };

        var healthy = await Probe(server.Port, expectsGone).ProbeAsync(TestContext.Current.CancellationToken);
        var failed = await Probe(server.Port, expectsOk).ProbeAsync(TestContext.Current.CancellationToken);

        Assert.True(healthy.Healthy, healthy.Detail);
        Assert.Equal($"http GET http://127.0.0.1:{server.Port}/gone status 404 (expected 200) (url 2 of 2)", failed.Detail);
    }

    [Fact]
    public async Task Probe_Status503_UnhealthyWithExpected()
    {
        await using var server = new TinyHttpServer { Status = 503 };

        var result = await Probe(server.Port, Get()).ProbeAsync(TestContext.Current.CancellationToken);

        Assert.False(result.Healthy);
        Assert.Equal($"http GET http://127.0.0.1:{server.Port}/ status 503 (expected 200)", result.Detail);
    }

    [Fact]
    public async Task Probe_StatusInTheExpectedList_Healthy()
    {
        await using var server = new TinyHttpServer { Status = 204 };

        var result = await Probe(server.Port, Get(status: [200, 204])).ProbeAsync(TestContext.Current.CancellationToken);

        Assert.True(result.Healthy, result.Detail);
    }

    [Fact]
    public async Task Probe_ServerGoesDownAndUp_ConnectRefusedThenHealthy()
    {
        await using var server = new TinyHttpServer();
        var probe = Probe(server.Port, Get());
        server.Stop();

        var down = await probe.ProbeAsync(TestContext.Current.CancellationToken);
        server.Restart();
        var up = await probe.ProbeAsync(TestContext.Current.CancellationToken);

        Assert.Equal($"http GET http://127.0.0.1:{server.Port}/ connect refused", down.Detail);
        Assert.True(up.Healthy, up.Detail);
    }

    [Fact]
    public async Task Probe_ConnectionsAreNotReused_OneConnectionPerProbe()
    {
        await using var server = new TinyHttpServer();
        var probe = Probe(server.Port, Get());

        for (var i = 0; i < 3; i++)
        {
            Assert.True((await probe.ProbeAsync(TestContext.Current.CancellationToken)).Healthy);
        }

        Assert.Equal(3, server.Accepted);
        Assert.All(server.Requests, r => Assert.Contains("Connection: close", r, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Probe_DigestMatches_Healthy()
    {
        await using var server = new TinyHttpServer { Body = "hello\n"u8.ToArray() };
        var digest = Convert.ToHexStringLower(MD5.HashData("hello\n"u8));

        var result = await Probe(server.Port, Get(digest: digest.ToUpperInvariant())).ProbeAsync(TestContext.Current.CancellationToken);

        Assert.True(result.Healthy, result.Detail);
    }

    [Fact]
    public async Task Probe_DigestDiffers_UnhealthyWithBoth()
    {
        await using var server = new TinyHttpServer { Body = "changed\n"u8.ToArray() };
        var actual = Convert.ToHexStringLower(MD5.HashData("changed\n"u8));

        var result = await Probe(server.Port, Get(digest: "0123456789abcdef0123456789abcdef")).ProbeAsync(TestContext.Current.CancellationToken);

        Assert.False(result.Healthy);
        Assert.Equal($"http GET http://127.0.0.1:{server.Port}/ digest {actual} (expected 0123456789abcdef0123456789abcdef)", result.Detail);
    }

    [Fact]
    public async Task Probe_DigestOfAnOversizedBody_FailsWithoutReadingOn()
    {
        await using var server = new TinyHttpServer { Body = new byte[HttpProbe.MaxBodyBytes + 1] };

        var result = await Probe(server.Port, Get(digest: "0123456789abcdef0123456789abcdef")).ProbeAsync(TestContext.Current.CancellationToken);

        Assert.Equal($"http GET http://127.0.0.1:{server.Port}/ body longer than {HttpProbe.MaxBodyBytes} bytes", result.Detail);
    }

    [Fact]
    public async Task Probe_HostHeader_Sent()
    {
        await using var server = new TinyHttpServer();

        await Probe(server.Port, Get(host: "www.example.com")).ProbeAsync(TestContext.Current.CancellationToken);

        Assert.Contains("Host: www.example.com\r\n", Assert.Single(server.Requests), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_ServerAcceptsButNeverAnswers_TimedOut()
    {
        await using var server = new TinyHttpServer { Hang = true };

        var result = await Probe(server.Port, Get(), timeoutSeconds: 0.5).ProbeAsync(TestContext.Current.CancellationToken);

        Assert.False(result.Healthy);
        Assert.Equal($"http GET http://127.0.0.1:{server.Port}/ timed out after 500ms", result.Detail);
    }

    [Fact]
    public async Task Probe_HttpsSelfSignedWithoutVerification_Healthy()
    {
        using var certificate = TinyHttpServer.SelfSigned();
        await using var server = new TinyHttpServer(certificate);

        var result = await Probe(server.Port, Get(verifyTls: false), https: true).ProbeAsync(TestContext.Current.CancellationToken);

        Assert.True(result.Healthy, result.Detail);
        Assert.Equal($"https GET https://127.0.0.1:{server.Port}/ status 200", result.Detail);
    }

    [Fact]
    public async Task Probe_HttpsSelfSignedWithVerification_TlsError()
    {
        using var certificate = TinyHttpServer.SelfSigned();
        await using var server = new TinyHttpServer(certificate);

        var result = await Probe(server.Port, Get(verifyTls: true), https: true).ProbeAsync(TestContext.Current.CancellationToken);

        Assert.False(result.Healthy);
        Assert.StartsWith($"https GET https://127.0.0.1:{server.Port}/ tls error: ", result.Detail, StringComparison.Ordinal);
    }
}
