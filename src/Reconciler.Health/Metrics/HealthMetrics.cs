using Reconciler.Topology.Model;

namespace Reconciler.Health.Metrics;

/// <summary>Counters since start, updated lock-free on the probing threads.</summary>
public sealed class HealthMetrics
{
    private static readonly HealthCheckKind[] Kinds = Enum.GetValues<HealthCheckKind>();
    private readonly long[] _run = new long[Kinds.Length];
    private readonly long[] _succeeded = new long[Kinds.Length];
    private readonly long[] _durationTicks = new long[Kinds.Length];
    private long _stateChanges;
    private long _weightChanges;
    private long _serviceChanges;

    internal void RecordProbe(in ProbeTiming timing)
    {
        var i = Array.IndexOf(Kinds, timing.Kind);
        Interlocked.Increment(ref _run[i]);
        if (timing.Healthy)
        {
            Interlocked.Increment(ref _succeeded[i]);
        }

        Interlocked.Add(ref _durationTicks[i], timing.Duration.Ticks);
    }

    internal void RecordStateChange() => Interlocked.Increment(ref _stateChanges);

    internal void RecordWeightChange() => Interlocked.Increment(ref _weightChanges);

    internal void RecordServiceChange() => Interlocked.Increment(ref _serviceChanges);

    /// <summary>The counters with the gauges of <paramref name="current"/>.</summary>
    public HealthMetricsSnapshot Snapshot(HealthSnapshot current, int checksRunning)
    {
        var probes = new Dictionary<HealthCheckKind, ProbeCounters>();
        for (var i = 0; i < Kinds.Length; i++)
        {
            var run = Interlocked.Read(ref _run[i]);
            var succeeded = Interlocked.Read(ref _succeeded[i]);
            probes[Kinds[i]] = new ProbeCounters(run, succeeded, run - succeeded, TimeSpan.FromTicks(Interlocked.Read(ref _durationTicks[i])));
        }

        return new HealthMetricsSnapshot(
            probes,
            Interlocked.Read(ref _stateChanges),
            Interlocked.Read(ref _weightChanges),
            Interlocked.Read(ref _serviceChanges),
            checksRunning,
            current.ServersUp,
            current.ServersDown,
            current.ServersUnchecked,
            current.ServicesWithdrawn,
            current.SorryServersActive);
    }
}

/// <summary>Probes of one kind since start (retries count as probes).</summary>
public sealed record ProbeCounters(long Run, long Succeeded, long Failed, TimeSpan TotalDuration);

/// <summary>Counters and gauges, ready to render (Prometheus: counters <c>_total</c>, gauges as they are).</summary>
/// <param name="StateChanges">Real server up/down transitions.</param>
/// <param name="WeightChanges">Effective weight changes of live servers (slow start steps, dynamic weights).</param>
/// <param name="ServiceChanges">Quorum and sorry server transitions.</param>
public sealed record HealthMetricsSnapshot(
    IReadOnlyDictionary<HealthCheckKind, ProbeCounters> Probes,
    long StateChanges,
    long WeightChanges,
    long ServiceChanges,
    int ChecksRunning,
    int ServersUp,
    int ServersDown,
    int ServersUnchecked,
    int ServicesWithdrawn,
    int SorryServersActive);
