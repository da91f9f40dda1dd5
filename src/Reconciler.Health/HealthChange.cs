using System.Net;
using Reconciler.Topology.Model;

namespace Reconciler.Health;

public enum HealthChangeKind
{
    ServerDown,
    ServerUp,

    /// <summary>A live server's effective weight moved (slow start step, dynamic weight).</summary>
    WeightChanged,
    ServiceWithdrawn,
    ServiceRestored,
    SorryServerActivated,
    SorryServerDeactivated,

    /// <summary>The live weight fell below the service's quorum (keepalived's quorum, 1 when none is set: every real
    /// server down); <c>quorum_down</c> runs. The service is withdrawn, or its sorry server serves, as the rules say.</summary>
    QuorumLost,

    /// <summary>The live weight reached the quorum again; <c>quorum_up</c> runs.</summary>
    QuorumRegained,
}

/// <summary>
/// One change of the health overlay, with its reason (<c>tcp connect 10.0.0.101:80 refused, 3rd failure</c>).
/// <paramref name="Version"/> is that of the <see cref="HealthSnapshot"/> that first shows it.
/// </summary>
/// <param name="Weight">The effective weight after a <see cref="HealthChangeKind.WeightChanged"/> or up change.</param>
public sealed record HealthChange(
    long Version,
    DateTimeOffset Time,
    HealthChangeKind Kind,
    string Service,
    IPAddress? Address,
    int? Port,
    string Reason,
    int? Weight = null)
{
    /// <summary><c>10.0.0.101:80</c>, or null for a service-level change.</summary>
    public string? RealServer => Address is null ? null : VirtualService.FormatEndpoint(Address, Port ?? 0);

    public override string ToString() =>
        RealServer is { } server ? $"{Service} {server} {Kind}: {Reason}" : $"{Service} {Kind}: {Reason}";
}
