using System.Net.Sockets;
using Reconciler.Ipvs;
using Reconciler.Topology.Model;

namespace Reconciler.Planning.Desired;

/// <summary>How topology records map to what the kernel holds. Pure; the inverse of nothing (the kernel
/// cannot hold a name or a health check).</summary>
public static class IpvsMapping
{
    public static ServiceKey KeyOf(VirtualService service) => service.FirewallMark is { } mark
        ? ServiceKey.ForFirewallMark(service.Family, mark)
        : ServiceKey.ForAddress(ProtocolOf(service.Protocol), service.Address!, checked((ushort)service.Port!.Value));

    public static IpvsProtocol ProtocolOf(Protocol protocol) => protocol switch
    {
        Protocol.Tcp => IpvsProtocol.Tcp,
        Protocol.Udp => IpvsProtocol.Udp,
        Protocol.Sctp => IpvsProtocol.Sctp,
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, null),
    };

    public static IpvsService ServiceOf(VirtualService service)
    {
        var flags = IpvsServiceFlags.None;
        if (service.Persistence is not null)
        {
            flags |= IpvsServiceFlags.Persistent;
        }

        if (service.OnePacket)
        {
            flags |= IpvsServiceFlags.OnePacket;
        }

        foreach (var flag in service.SchedulerFlags)
        {
            flags |= SchedulerFlagOf(flag);
        }

        var timeout = service.Persistence is { } persistence ? (uint)Math.Ceiling(persistence.Timeout.TotalSeconds) : 0u;
        return new IpvsService(
            KeyOf(service),
            service.Scheduler,
            flags,
            timeout,
            NetmaskOf(service.Family, service.Persistence?.PrefixLength),
            service.Persistence?.Engine);
    }

    /// <summary>IPv4: the netmask as a host-order u32 (/24 = 0xffffff00); IPv6: the prefix length. Full by default.</summary>
    public static uint NetmaskOf(AddressFamily family, int? prefixLength)
    {
        if (family == AddressFamily.InterNetworkV6)
        {
            return (uint)(prefixLength ?? 128);
        }

        var length = prefixLength ?? 32;
        return length == 0 ? 0u : uint.MaxValue << (32 - length);
    }

    public static IpvsServiceFlags SchedulerFlagOf(string flag) => flag switch
    {
        "sh-fallback" or "mh-fallback" or "flag-1" => IpvsServiceFlags.Scheduler1,
        "sh-port" or "mh-port" or "flag-2" => IpvsServiceFlags.Scheduler2,
        "flag-3" => IpvsServiceFlags.Scheduler3,
        _ => throw new ArgumentOutOfRangeException(nameof(flag), flag, "unknown scheduler flag"),
    };

    public static IpvsForwarding ForwardingOf(Forwarding forwarding) => forwarding switch
    {
        Forwarding.Nat => IpvsForwarding.Masquerade,
        Forwarding.DirectRouting => IpvsForwarding.DirectRoute,
        Forwarding.Tunnel => IpvsForwarding.Tunnel,
        _ => throw new ArgumentOutOfRangeException(nameof(forwarding), forwarding, null),
    };

    public static IpvsDestination DestinationOf(VirtualService service, RealServer server, int weight)
    {
        var forwarding = service.ForwardingOf(server);
        return WithTunnel(
            new IpvsDestination(server.Address, checked((ushort)server.Port), ForwardingOf(forwarding), weight, server.UpperThreshold, server.LowerThreshold),
            forwarding,
            service.Tunnel);
    }

    public static IpvsDestination DestinationOf(VirtualService service, SorryServer sorry) =>
        WithTunnel(
            new IpvsDestination(sorry.Address, checked((ushort)sorry.Port), ForwardingOf(sorry.Forwarding ?? service.Forwarding), 1, 0, 0),
            sorry.Forwarding ?? service.Forwarding,
            service.Tunnel);

    private static IpvsDestination WithTunnel(IpvsDestination destination, Forwarding forwarding, TunnelSettings? tunnel)
    {
        if (forwarding != Forwarding.Tunnel || tunnel is null)
        {
            return destination;
        }

        var flags = (tunnel.Checksum ? IpvsTunnelFlags.Checksum : IpvsTunnelFlags.None)
            | (tunnel.RemoteChecksum ? IpvsTunnelFlags.RemoteChecksum : IpvsTunnelFlags.None);
        var type = tunnel.Type switch
        {
            TunnelType.Gue => IpvsTunnelType.Gue,
            TunnelType.Gre => IpvsTunnelType.Gre,
            _ => IpvsTunnelType.Ipip,
        };
        return destination with { TunnelType = type, TunnelPort = (ushort)(tunnel.Port ?? 0), TunnelFlags = flags };
    }
}
