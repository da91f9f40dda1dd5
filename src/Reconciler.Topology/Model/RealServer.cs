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

    /// <summary>Commands run when the health checker brings this real server up or takes it down; null: none.</summary>
    public RealServerNotify? Notify { get; init; }
}
