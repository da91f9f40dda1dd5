using System.Net;
using System.Net.Sockets;

namespace Reconciler.Ipvs;

/// <summary>
/// What identifies a virtual service to the kernel: the address family plus either a firewall mark or
/// protocol + address + port.
/// </summary>
public readonly record struct ServiceKey
{
    private ServiceKey(AddressFamily family, IpvsProtocol protocol, IPAddress? address, ushort port, uint firewallMark)
    {
        Family = family;
        Protocol = protocol;
        Address = address;
        Port = port;
        FirewallMark = firewallMark;
    }

    public AddressFamily Family { get; }

    public IpvsProtocol Protocol { get; }

    public IPAddress? Address { get; }

    public ushort Port { get; }

    public uint FirewallMark { get; }

    public bool IsFirewallMark => FirewallMark != 0;

    public static ServiceKey ForAddress(IpvsProtocol protocol, IPAddress address, ushort port)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (protocol == IpvsProtocol.None)
        {
            throw new ArgumentException("an address service needs a protocol", nameof(protocol));
        }

        return new ServiceKey(address.AddressFamily, protocol, address, port, 0);
    }

    public static ServiceKey ForFirewallMark(AddressFamily family, uint mark)
    {
        if (mark == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(mark), "firewall mark 0 means 'no mark'");
        }

        return new ServiceKey(family, IpvsProtocol.None, null, 0, mark);
    }

    /// <summary>As ipvsadm names it: <c>TCP 10.0.0.1:80</c>, <c>UDP [2001:db8::1]:53</c>, <c>FWM 7</c> (<c>FWM 7 IPv6</c>).</summary>
    public override string ToString() => IsFirewallMark
        ? Family == AddressFamily.InterNetworkV6 ? $"FWM {FirewallMark} IPv6" : $"FWM {FirewallMark}"
        : $"{Protocol.ToString().ToUpperInvariant()} {Endpoints.Format(Address!, Port)}";
}

public static class Endpoints
{
    public static string Format(IPAddress address, ushort port) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";
}
