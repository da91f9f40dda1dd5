using System.Net;
using Reconciler.Health.Probes;
using Reconciler.Health.Tests.Support;

namespace Reconciler.Health.Tests.Probes;

/// <summary>Real sockets on loopback, real time (no timing assertions).</summary>
public sealed class TcpProbeTests
{
    private static TcpProbe Probe(int port, double timeoutSeconds = 5, IPAddress? bind = null) =>
        new(new IPEndPoint(IPAddress.Loopback, port), TimeSpan.FromSeconds(timeoutSeconds), bind, TimeProvider.System);

    [Fact]
    public async Task Probe_ListenerUp_HealthyAndConnected()
    {
        await using var server = new LoopbackTcpServer();

        var result = await Probe(server.Port).ProbeAsync(TestContext.Current.CancellationToken);

        Assert.True(result.Healthy);
        Assert.Equal($"tcp connect 127.0.0.1:{server.Port} ok", result.Detail);
        await Wait.UntilAsync(() => server.Accepted == 1, "the listener to accept");
    }

    [Fact]
    public async Task Probe_ListenerDownThenUpAgain_RefusedThenHealthy()
    {
        await using var server = new LoopbackTcpServer();
        server.Stop();

        var down = await Probe(server.Port).ProbeAsync(TestContext.Current.CancellationToken);
        server.Restart();
        var up = await Probe(server.Port).ProbeAsync(TestContext.Current.CancellationToken);

        Assert.False(down.Healthy);
        Assert.Equal($"tcp connect 127.0.0.1:{server.Port} refused", down.Detail);
        Assert.True(up.Healthy);
    }

    [Fact]
    public async Task Probe_BindAddress_ConnectsFromIt()
    {
        await using var server = new LoopbackTcpServer();

        var result = await Probe(server.Port, bind: IPAddress.Parse("127.0.0.2")).ProbeAsync(TestContext.Current.CancellationToken);

        Assert.True(result.Healthy, result.Detail);
    }

    [Fact]
    public async Task Probe_BindAddressNotOnThisHost_FailsWithTheReason()
    {
        await using var server = new LoopbackTcpServer();

        var result = await Probe(server.Port, bind: IPAddress.Parse("192.0.2.77")).ProbeAsync(TestContext.Current.CancellationToken);

        Assert.False(result.Healthy);
        Assert.Equal($"tcp connect 127.0.0.1:{server.Port} bind address not available", result.Detail);
    }

    [Fact]
    public async Task Probe_TimeoutAlreadySpent_TimedOut()
    {
        // A loopback connect cannot be made slow without tricks; a zero timeout takes the same path.
        await using var server = new LoopbackTcpServer();

        var result = await Probe(server.Port, timeoutSeconds: 0).ProbeAsync(TestContext.Current.CancellationToken);

        Assert.False(result.Healthy);
        Assert.Equal($"tcp connect 127.0.0.1:{server.Port} timed out after 0s", result.Detail);
    }
}
