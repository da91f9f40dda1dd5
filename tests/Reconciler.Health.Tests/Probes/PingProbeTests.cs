using System.Net;
using Reconciler.Health.Probes;

namespace Reconciler.Health.Tests.Probes;

/// <summary>Real ICMP through raw sockets (the tests run as root, as the agent does), real time (no timing assertions).</summary>
public sealed class PingProbeTests
{
    private static ValueTask<ProbeResult> Ping(string address, double timeoutSeconds = 5, string? bind = null) =>
        new PingProbe(IPAddress.Parse(address), TimeSpan.FromSeconds(timeoutSeconds), bind is null ? null : IPAddress.Parse(bind), TimeProvider.System)
            .ProbeAsync(TestContext.Current.CancellationToken);

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task Probe_Loopback_Replied(string address)
    {
        var result = await Ping(address);

        Assert.True(result.Healthy, result.Detail);
        Assert.Equal($"ping {address} replied", result.Detail);
    }

    [Fact]
    public async Task Probe_ManyAtOnce_EachGetsItsOwnReply()
    {
        // Every raw socket connected to 127.0.0.1 sees every echo reply from it: each must wait for its own.
        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Ping("127.0.0.1").AsTask()));

        Assert.All(results, r => Assert.True(r.Healthy, r.Detail));
    }

    [Fact]
    public async Task Probe_AddressThatDoesNotAnswer_Fails()
    {
        // TEST-NET-2: nothing answers it. Where the request goes depends on the host: nowhere (no reply by the
        // timeout), nowhere at all (no route), or to a router or firewall that says it is unreachable.
        var result = await Ping("198.51.100.1", timeoutSeconds: 0.3);

        Assert.False(result.Healthy);
        Assert.Contains(result.Detail, new[]
        {
            "ping 198.51.100.1 no reply within 300ms", "ping 198.51.100.1 network unreachable",
            "ping 198.51.100.1 host unreachable", "ping 198.51.100.1 destination unreachable",
        });
    }

    [Fact]
    public async Task Probe_TimeoutAlreadySpent_NoReply()
    {
        var result = await Ping("127.0.0.1", timeoutSeconds: 0);

        Assert.False(result.Healthy);
        Assert.Equal("ping 127.0.0.1 no reply within 0s", result.Detail);
    }

    [Fact]
    public async Task Probe_BindAddress_RepliedToIt()
    {
        var result = await Ping("127.0.0.1", bind: "127.0.0.2");

        Assert.True(result.Healthy, result.Detail);
    }

    [Fact]
    public async Task Probe_BindAddressNotOnThisHost_FailsWithTheReason()
    {
        var result = await Ping("127.0.0.1", bind: "192.0.2.77");

        Assert.False(result.Healthy);
        Assert.Equal("ping 127.0.0.1 bind address not available", result.Detail);
    }
}
