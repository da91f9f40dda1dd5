using Reconciler.Health.Metrics;
using Reconciler.Health.Probes;

namespace Reconciler.Health;

/// <summary>What a checked real server is taken to be before its first result.</summary>
public enum HealthInitialState
{
    /// <summary>keepalived's default: up (so an agent restart pulls no live server), but the first failed attempt
    /// takes it down at once, without waiting for <c>fall</c> (HAProxy's <c>init-state up</c>).</summary>
    Up,

    /// <summary>keepalived's <c>alpha</c>: down until the first good attempt, which brings it up at once.</summary>
    Down,
}

public sealed class HealthMonitorOptions
{
    public HealthInitialState InitialState { get; init; } = HealthInitialState.Up;

    /// <summary>Makes the probes; null = the built-in <see cref="HealthProbeFactory"/>.</summary>
    public IHealthProbeFactory? ProbeFactory { get; init; }

    /// <summary>For warmup delays; null = <see cref="Random.Shared"/>. A seeded one makes schedules repeatable.</summary>
    public Random? Random { get; init; }

    /// <summary>How long past its own timeout a probe may run before it is abandoned as hung.</summary>
    public TimeSpan ProbeGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Slow start moves the weight at most this often, however large the weight (each step is a reconcile).</summary>
    public TimeSpan SlowStartMinimumStep { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Sees every probe; null = none.</summary>
    public IHealthCheckObserver? Observer { get; init; }
}
