using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using Reconciler.Health.Probes;
using Reconciler.Planning.Desired;
using TopologyModel = Reconciler.Topology.Model.Topology;

namespace Reconciler.Health.Tests.Support;

/// <summary>A monitor over fake time and scripted probes, with its changes and log lines kept.</summary>
internal sealed class MonitorHarness : IAsyncDisposable
{
    /// <param name="probes">Makes the probes; none: <see cref="Probes"/>, the scripted ones.</param>
    public MonitorHarness(TopologyModel topology, HealthInitialState initialState = HealthInitialState.Up, double graceSeconds = 2, string node = "lb1",
        Func<TimeProvider, IHealthProbeFactory>? probes = null)
    {
        Monitor = new HealthMonitor(topology, node, Time, Logs, new HealthMonitorOptions
        {
            ProbeFactory = probes?.Invoke(Time) ?? Probes,
            InitialState = initialState,
            Random = new Random(1),
            ProbeGrace = TimeSpan.FromSeconds(graceSeconds),
        });
        Monitor.Changed += Changes.Enqueue;
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public ScriptedProbes Probes { get; } = new();

    public ListLoggerFactory Logs { get; } = new();

    public ConcurrentQueue<HealthChange> Changes { get; } = new();

    public HealthMonitor Monitor { get; }

    /// <summary>Starts the checks and runs their first attempt (no warmup: due one tick after start).</summary>
    public async Task StartAsync()
    {
        await Monitor.StartAsync(TestContext.Current.CancellationToken);
        Time.Advance(TimeSpan.FromTicks(1));
        await Task.Yield();
    }

    /// <summary>Advances fake time by whole seconds, one second at a time.</summary>
    public Task AdvanceAsync(double seconds, double stepSeconds = 1) =>
        Time.AdvanceAsync(TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(stepSeconds));

    public RealServerHealth Health(string service, string address, int port = 80) =>
        Monitor.Current.Get(service, IPAddress.Parse(address), port);

    public ProbeBehavior this[string endpoint] => Probes[endpoint];

    public List<HealthChange> Of(HealthChangeKind kind) => [.. Changes.Where(c => c.Kind == kind)];

    public async ValueTask DisposeAsync() => await Monitor.DisposeAsync();
}
