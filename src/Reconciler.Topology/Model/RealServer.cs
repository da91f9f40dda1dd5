using System.Net;

namespace Reconciler.Topology.Model;

/// <summary>A destination of a virtual service. Thresholds of 0 mean "no limit".</summary>
public sealed record RealServer(
    IPAddress Address,
    int Port,
    int Weight,
    uint UpperThreshold,
    uint LowerThreshold,
    Forwarding? Forwarding,
    HealthCheck? HealthCheck)
{
    public string Endpoint => VirtualService.FormatEndpoint(Address, Port);
}
