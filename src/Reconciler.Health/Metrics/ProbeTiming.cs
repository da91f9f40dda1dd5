using Reconciler.Topology.Model;

namespace Reconciler.Health.Metrics;

/// <summary>One probe as the scheduler saw it.</summary>
/// <param name="Retry">0 for an attempt's first probe, then 1, 2, ... for its retries.</param>
/// <param name="Lag">How late the probe started against its due time (schedule drift).</param>
/// <param name="Duration">How long the probe took.</param>
public readonly record struct ProbeTiming(HealthCheckKind Kind, int Retry, TimeSpan Lag, TimeSpan Duration, bool Healthy);

/// <summary>Sees every probe (for benchmarks and histograms). Called on the probing thread: keep it cheap.</summary>
public interface IHealthCheckObserver
{
    void OnProbe(in ProbeTiming timing);
}
