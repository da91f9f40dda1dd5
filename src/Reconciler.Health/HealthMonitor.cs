using Microsoft.Extensions.Logging;
using Reconciler.Health.Checking;
using Reconciler.Health.Metrics;
using Reconciler.Health.Probes;
using Reconciler.Planning.Desired;
using TopologyModel = Reconciler.Topology.Model.Topology;

namespace Reconciler.Health;

/// <summary>
/// The embedded health checker of one node: one check per (service, real server) of the services this node
/// serves, each the real server's own check or the service's default. It overlays the topology without
/// touching it: <see cref="Current"/> is an immutable <see cref="HealthSnapshot"/> (an <see cref="IHealthOverlay"/>
/// for the planner) swapped whole on every change, and every change is also raised as a
/// <see cref="HealthChange"/> with its reason, logged, and counted.
/// <para>Wiring: construct from the topology, <see cref="StartAsync"/>, feed <see cref="Update"/> every new
/// topology (unchanged checks keep running, state and schedule intact), reconcile on <see cref="Changed"/>
/// with <c>new RuntimeOverlay(roles, monitor.Current)</c>, <see cref="StopAsync"/> at shutdown.</para>
/// </summary>
public sealed partial class HealthMonitor : IAsyncDisposable, ICheckSink
{
    private readonly string _node;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HealthMonitorOptions _options;
    private readonly IHealthProbeFactory _probes;
    private readonly HealthProbeFactory? _ownedProbes;
    private readonly Random _random;
    private readonly Lock _lock = new();
    private readonly HashSet<ServerEntry> _ramping = [];
    private Dictionary<string, ServiceEntry> _services = [];
    private HealthSnapshot _current = HealthSnapshot.Empty;
    private ITimer? _rampTimer;
    private long _version;
    private bool _started;
    private bool _stopped;

    public HealthMonitor(TopologyModel topology, string node, TimeProvider time, ILoggerFactory loggerFactory, HealthMonitorOptions? options = null)
    {
        _node = node;
        _time = time;
        _logger = loggerFactory.CreateLogger<HealthMonitor>();
        _options = options ?? new HealthMonitorOptions();
        _random = _options.Random ?? Random.Shared;
        if (_options.ProbeFactory is { } factory)
        {
            _probes = factory;
        }
        else
        {
            _ownedProbes = new HealthProbeFactory(time);
            _probes = _ownedProbes;
        }

        Update(topology);
    }

    /// <summary>The overlay now. Cheap to read from any thread; never changes once read.</summary>
    public HealthSnapshot Current => Volatile.Read(ref _current);

    /// <summary>Counters since start. <see cref="GetMetrics"/> adds the gauges.</summary>
    public HealthMetrics Metrics { get; } = new();

    /// <summary>Raised after every change, once <see cref="Current"/> shows it, outside any lock, on whatever thread
    /// made the change (a probe's, a timer's or <see cref="Update"/>'s caller). Handlers should be quick (signal a
    /// reconcile); exceptions they throw are logged and swallowed.</summary>
    public event Action<HealthChange>? Changed;

    /// <summary>How many checks are running (0 before start and after stop).</summary>
    public int ChecksRunning
    {
        get
        {
            lock (_lock)
            {
                return !_started || _stopped ? 0 : _services.Values.Sum(s => s.Servers.Values.Count(e => e.Runner is not null));
            }
        }
    }

    public HealthMetricsSnapshot GetMetrics() => Metrics.Snapshot(Current, ChecksRunning);

    /// <summary>The next change that matches <paramref name="predicate"/> (for tests and the kernel lab).</summary>
    public async Task<HealthChange> WaitForChangeAsync(Func<HealthChange, bool> predicate, CancellationToken cancellationToken = default)
    {
        var found = new TaskCompletionSource<HealthChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(HealthChange change)
        {
            if (predicate(change))
            {
                found.TrySetResult(change);
            }
        }

        Changed += OnChanged;
        try
        {
            return await found.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            Changed -= OnChanged;
        }
    }

    /// <summary>Starts every check, each after a random warmup delay.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_stopped, this);
            if (_started)
            {
                return Task.CompletedTask;
            }

            _started = true;
            _rampTimer = _time.CreateTimer(static s => ((HealthMonitor)s!).OnRampTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            var count = 0;
            foreach (var entry in AllEntries())
            {
                if (entry.Runner is { } runner)
                {
                    runner.Start(CheckSchedule.FirstDelay(runner.Target.Check.Warmup, _random));
                    count++;
                }
            }

            RescheduleRamp();
            Log.Started(_logger, _node, count);
        }

        return Task.CompletedTask;
    }

    /// <summary>Stops every check and waits for probes in flight to be cancelled.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        List<CheckRunner> runners;
        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            runners = [.. AllEntries().Select(e => e.Runner).OfType<CheckRunner>()];
            _rampTimer?.Dispose();
            _rampTimer = null;
        }

        await Task.WhenAll(runners.Select(r => r.StopAsync())).WaitAsync(cancellationToken);
        _ownedProbes?.Dispose();
        Log.Stopped(_logger, _node);
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private IEnumerable<ServerEntry> AllEntries() => _services.Values.SelectMany(s => s.Servers.Values);

    private void Raise(List<HealthChange> changes)
    {
        foreach (var change in changes)
        {
            LogChange(change);
            try
            {
                Changed?.Invoke(change);
            }
            catch (Exception e)
            {
                Log.HandlerFailed(_logger, e);
            }
        }
    }

    private void LogChange(HealthChange change)
    {
        switch (change.Kind)
        {
            case HealthChangeKind.ServerDown:
                Log.ServerDown(_logger, change.Service, change.RealServer!, change.Reason);
                break;
            case HealthChangeKind.ServerUp:
                Log.ServerUp(_logger, change.Service, change.RealServer!, change.Reason);
                break;
            case HealthChangeKind.WeightChanged:
                Log.WeightChanged(_logger, change.Service, change.RealServer!, change.Weight ?? 0, change.Reason);
                break;
            default:
                Log.ServiceChanged(_logger, change.Service, change.Kind, change.Reason);
                break;
        }
    }
}
