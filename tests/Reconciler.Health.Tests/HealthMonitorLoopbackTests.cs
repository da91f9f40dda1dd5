using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Health.Tests.Support;
using Reconciler.Topology.Model;

namespace Reconciler.Health.Tests;

/// <summary>The monitor with the real probes against real loopback servers going down and up, in real time
/// (100 ms intervals, generous bounds, no timing assertions).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class HealthMonitorLoopbackTests
{
    private static readonly Reconciler.Health.Probes.HealthProbeFactory Probes = new(TimeProvider.System, Reconciler.Tests.Shared.Scripts.ScriptFixtures.AsNobody);

    private static async Task<(HealthMonitor Monitor, ConcurrentQueue<HealthChange> Changes)> StartAsync(VirtualService service)
    {
        var monitor = new HealthMonitor(Build.Topology(service), "lb1", TimeProvider.System, NullLoggerFactory.Instance,
            new HealthMonitorOptions { ProbeFactory = Probes });
        var changes = new ConcurrentQueue<HealthChange>();
        monitor.Changed += changes.Enqueue;
        await monitor.StartAsync(TestContext.Current.CancellationToken);
        return (monitor, changes);
    }

    [Fact]
    public async Task Tcp_ListenerGoesDownAndUp_ServerDownThenUp()
    {
        await using var server = new LoopbackTcpServer();
        var check = Build.Check(intervalSeconds: 0.1, fall: 2, rise: 2);
        var (monitor, changes) = await StartAsync(Build.Service("web", [Build.Server("127.0.0.1", server.Port)], check));
        await using (monitor)
        {
            await Wait.UntilAsync(() => server.Accepted >= 3, "a few good probes");
            Assert.Empty(changes);

            server.Stop();
            await Wait.UntilAsync(() => changes.Any(c => c.Kind == HealthChangeKind.ServerDown), "the server to go down");
            Assert.False(monitor.Current.Get("web", IPAddress.Loopback, server.Port).Present);
            Assert.Equal($"tcp connect 127.0.0.1:{server.Port} refused, 2nd failure", changes.Single(c => c.Kind == HealthChangeKind.ServerDown).Reason);

            using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            bound.CancelAfter(TimeSpan.FromSeconds(10));
            var up = monitor.WaitForChangeAsync(c => c.Kind == HealthChangeKind.ServerUp, bound.Token);
            server.Restart();
            Assert.Equal($"tcp connect 127.0.0.1:{server.Port} ok, 2nd success", (await up).Reason);
            Assert.True(monitor.Current.Get("web", IPAddress.Loopback, server.Port).Present);
        }
    }

    [Fact]
    public async Task Http_ServerAnswers503ThenHangsThen200_DownWithStatusThenUp()
    {
        await using var server = new TinyHttpServer();
        var check = Build.Check(HealthCheckKind.Http, intervalSeconds: 0.1, timeoutSeconds: 0.5, http: new HttpCheck("/", [200], null, null, true));
        var (monitor, changes) = await StartAsync(Build.Service("web", [Build.Server("127.0.0.1", server.Port)], check));
        await using (monitor)
        {
            await Wait.UntilAsync(() => server.Requests.Count >= 2, "a few good probes");
            server.Status = 503;
            await Wait.UntilAsync(() => changes.Any(c => c.Kind == HealthChangeKind.ServerDown), "the server to go down");
            Assert.Equal($"http GET http://127.0.0.1:{server.Port}/ status 503 (expected 200), 1st failure", changes.Single(c => c.Kind == HealthChangeKind.ServerDown).Reason);

            server.Status = 200;
            await Wait.UntilAsync(() => changes.Any(c => c.Kind == HealthChangeKind.ServerUp), "the server to come back");
            Assert.True(monitor.Current.Get("web", IPAddress.Loopback, server.Port).Present);
        }
    }

    [Fact]
    public async Task Exec_DynamicWeight_OverlayFollowsTheExitCode()
    {
        var check = Build.Check(HealthCheckKind.Exec, intervalSeconds: 0.2, exec: new ExecCheck(["/bin/sh", "-c", "exit 9"], TimeSpan.FromSeconds(5), true));
        var (monitor, changes) = await StartAsync(Build.Service("web", [Build.Server("127.0.0.1", 80, weight: 1)], check));
        await using (monitor)
        {
            await Wait.UntilAsync(() => changes.Any(c => c.Kind == HealthChangeKind.WeightChanged), "the dynamic weight");

            Assert.Equal(7, monitor.Current.Get("web", IPAddress.Loopback, 80).Weight);
        }
    }
}
