using System.Net;
using Reconciler.Topology.Model;

namespace Reconciler.Vrrp;

/// <summary>
/// What a <see cref="VrrpRouter"/> asks of the world: the edge implements it (raw sockets, netlink, ARP/NA,
/// notify scripts). One host per router. Calls arrive with the router's lock held, in order; a host must
/// not block for long and must not call back into the router synchronously (the router throws if it does);
/// queue such work instead.
/// </summary>
/// <remarks>
/// Becoming MASTER is, in this order: <see cref="SendAdvert"/> (so the old master drops the addresses before
/// our announcements, as keepalived does), <see cref="AddVirtualAddresses"/>, <see cref="SendGratuitousAnnouncements"/>
/// with <see cref="GratuitousArp.Count"/> (and again with <see cref="GratuitousArp.RepeatCount"/> after
/// <see cref="GratuitousArp.RepeatDelay"/> if still MASTER), then <see cref="OnTransition"/>.
/// Leaving MASTER is: a priority-0 <see cref="SendAdvert"/> when stopping or going to FAULT,
/// <see cref="RemoveVirtualAddresses"/>, then <see cref="OnTransition"/>.
/// </remarks>
public interface IVrrpRouterHost
{
    /// <summary>
    /// Sends one VRRP message (the IP payload; checksum already filled in for this destination) from the
    /// router's primary address to <paramref name="destination"/> with TTL / hop limit 255 and IP protocol 112.
    /// Called once per destination: the multicast group, or each unicast peer.
    /// </summary>
    void SendAdvert(ReadOnlySpan<byte> message, IPAddress destination);

    /// <summary>Adds the instance's virtual addresses to its interface, then its virtual routes and rules
    /// (<see cref="VrrpRouterConfig.VirtualRoutes"/>, <see cref="VrrpRouterConfig.VirtualRules"/>), as keepalived's
    /// vrrp_state_become_master does: one that fails is reported and the others are still added.</summary>
    void AddVirtualAddresses(IReadOnlyList<InterfaceAddress> addresses);

    /// <summary>Removes the instance's virtual rules, then its virtual routes, then its virtual addresses (the reverse
    /// of adding, as keepalived's vrrp_restore_interface does).</summary>
    void RemoveVirtualAddresses(IReadOnlyList<InterfaceAddress> addresses);

    /// <summary>Sends <paramref name="count"/> gratuitous ARPs (IPv4) or unsolicited neighbour adverts (IPv6) for each virtual address.</summary>
    void SendGratuitousAnnouncements(IReadOnlyList<InterfaceAddress> addresses, int count);

    /// <summary>A state change happened (notify scripts, webhooks, logs, metrics).</summary>
    void OnTransition(VrrpTransition transition);

    /// <summary>
    /// One of the calls above threw. The router has caught it and carried on (its state is consistent); the
    /// host should log it and may retry the operation itself.
    /// </summary>
    void OnHostError(string operation, Exception exception);
}
