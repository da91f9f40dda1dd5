using Reconciler.Topology.Model;

namespace Reconciler.Topology.Validation;

/// <summary>A health check as the rules see it: the check and the pointer of the <c>healthCheck</c> that holds it.</summary>
internal sealed record HealthCheckAt(HealthCheck Check, string Pointer);

internal static class HealthChecks
{
    /// <summary>Every health check written in the topology, each once where it is written: a service's, then its
    /// real servers' own, in file order.</summary>
    public static IEnumerable<HealthCheckAt> Of(Model.Topology topology)
    {
        var services = topology.Services;
        for (var s = 0; s < services.Count; s++)
        {
            if (services[s].HealthCheck is { } check)
            {
                yield return new HealthCheckAt(check, Pointers.Service(s, "healthCheck"));
            }

            for (var r = 0; r < services[s].RealServers.Count; r++)
            {
                if (services[s].RealServers[r].HealthCheck is { } own)
                {
                    yield return new HealthCheckAt(own, Pointers.RealServer(s, r, "healthCheck"));
                }
            }
        }
    }
}
