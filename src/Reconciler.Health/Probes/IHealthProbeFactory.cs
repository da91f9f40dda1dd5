namespace Reconciler.Health.Probes;

/// <summary>Makes the probe for a check. The monitor asks once per check (not per probe), so a probe may
/// prepare what it reuses.</summary>
public interface IHealthProbeFactory
{
    IHealthProbe Create(HealthCheckTarget target);
}
