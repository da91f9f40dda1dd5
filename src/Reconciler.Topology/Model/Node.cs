using System.Net;

namespace Reconciler.Topology.Model;

/// <summary>A director: a host that runs the agent.</summary>
/// <param name="Name">Unique node name; the agent finds its part of the topology by it.</param>
/// <param name="Addresses">The node's own addresses; the first one of a family is its VRRP source.</param>
/// <param name="Interfaces">Interfaces the node has (for validation of VRRP instance interfaces).</param>
public sealed record Node(string Name, ValueList<IPAddress> Addresses, ValueList<string> Interfaces)
{
    /// <summary>Addresses, routes and rules the node keeps whatever its VRRP roles (the YAML's <c>network</c>).</summary>
    public NodeNetwork Network { get; init; } = NodeNetwork.Empty;
}
