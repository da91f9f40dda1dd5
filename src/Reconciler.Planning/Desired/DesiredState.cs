using Reconciler.Ipvs;

namespace Reconciler.Planning.Desired;

/// <summary>What this node's kernel should hold: IPVS services with their destinations, and the
/// virtual addresses this node should carry. Built from the topology plus runtime overlays.</summary>
public sealed record DesiredState(string Node, IReadOnlyList<DesiredService> Services, IReadOnlyList<DesiredAddress> Addresses)
{
    public static DesiredState Empty(string node) => new(node, [], []);

    public DesiredService? Find(ServiceKey key) => Services.FirstOrDefault(s => s.Service.Key == key);
}

/// <summary>One desired virtual service. <see cref="RemoveAtOnce"/> lists destinations that must leave
/// without draining (their real server failed its health check: its connections are dead anyway).</summary>
/// <param name="OnlyIfPresent">The service is bound to a VRRP instance whose role on this node is not known yet:
/// keep it in line if it exists, but neither create nor delete it.</param>
public sealed record DesiredService(
    string Name,
    IpvsService Service,
    IReadOnlyList<DesiredDestination> Destinations,
    IReadOnlyList<DestinationRemoval> RemoveAtOnce,
    bool OnlyIfPresent = false)
{
    /// <summary>The first destination at that address and port (a loop: the planner calls it once per real server).</summary>
    public DesiredDestination? Find(System.Net.IPAddress address, ushort port)
    {
        for (var i = 0; i < Destinations.Count; i++)
        {
            var candidate = Destinations[i];
            if (candidate.Destination.Port == port && candidate.Destination.Address.Equals(address))
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>A desired destination; <see cref="Reason"/> says why its runtime settings differ from the
/// topology (<c>health: tcp connect 10.0.0.101:80 refused, 3rd failure</c>), or is null.</summary>
public sealed record DesiredDestination(IpvsDestination Destination, string? Reason = null);

/// <summary>A destination to delete at once, with the reason (shown in the plan).</summary>
public sealed record DestinationRemoval(System.Net.IPAddress Address, ushort Port, string Reason);

/// <summary>A virtual address of an instance on this node: <see cref="Present"/> when this node is MASTER (the
/// address must be on <see cref="Interface"/>), else it must not be there; <see cref="Held"/> while the role is not
/// known yet: the address stays as it is, added or not (a restarted MASTER keeps its VIP until its router decides).</summary>
public sealed record DesiredAddress(string Interface, Topology.Model.InterfaceAddress Address, string Instance, bool Present, bool Held = false);
