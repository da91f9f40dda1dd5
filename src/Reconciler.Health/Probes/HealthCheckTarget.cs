using System.Net;
using Reconciler.Topology.Model;

namespace Reconciler.Health.Probes;

/// <summary>What one check probes: the real server <paramref name="Address"/> on <paramref name="Port"/> (the check's
/// own port, else the real server's) of <paramref name="Service"/>, as <paramref name="Check"/> says.</summary>
public sealed record HealthCheckTarget(string Service, IPAddress Address, int Port, HealthCheck Check)
{
    public static HealthCheckTarget For(VirtualService service, RealServer server, HealthCheck check) =>
        new(service.Name, server.Address, check.Port ?? server.Port, check);

    public string Endpoint => VirtualService.FormatEndpoint(Address, Port);

    public IPEndPoint EndPoint => new(Address, Port);
}
