namespace Reconciler.Linux.Route;

/// <summary>One network interface as RTM_GETLINK reports it.</summary>
/// <param name="Index">The interface index (ifindex).</param>
/// <param name="Name">IFLA_IFNAME.</param>
/// <param name="Flags">ifi_flags (IFF_UP, IFF_RUNNING, IFF_LOWER_UP, ...).</param>
/// <param name="Carrier">IFLA_CARRIER, when the kernel sent it.</param>
/// <param name="HardwareAddress">IFLA_ADDRESS (the MAC for Ethernet), empty when none.</param>
/// <param name="OperationalState">IFLA_OPERSTATE (RFC 2863: 6 is UP, 2 DOWN, 7 LOWERLAYERDOWN, 0 UNKNOWN).</param>
public sealed record LinkInfo(int Index, string Name, uint Flags, bool? Carrier, byte[] HardwareAddress, byte OperationalState)
{
    /// <summary>IFLA_LINKINFO's IFLA_INFO_KIND (<c>macvlan</c>, <c>veth</c>, <c>bridge</c>, ...), null for a plain device.</summary>
    public string? Kind { get; init; }

    /// <summary>IFLA_LINK: the lower device of a stacked one (a macvlan's base), null when the kernel sent none.</summary>
    public int? LowerIndex { get; init; }

    /// <summary>Administratively up (IFF_UP).</summary>
    public bool IsUp => (Flags & RouteNetlink.IFF_UP) != 0;

    /// <summary>Operationally up (IFF_RUNNING: up with carrier, RFC 2863 operstate UP or UNKNOWN).</summary>
    public bool IsRunning => (Flags & RouteNetlink.IFF_RUNNING) != 0;

    /// <summary>Carrier present: IFLA_CARRIER, or IFF_LOWER_UP when the kernel sent no IFLA_CARRIER.</summary>
    public bool HasCarrier => Carrier ?? (Flags & RouteNetlink.IFF_LOWER_UP) != 0;

    /// <summary>What VRRP's <c>track_interface</c> means by "up" (keepalived: IFF_UP and IFF_RUNNING).</summary>
    public bool IsUsable => IsUp && IsRunning;

    public override string ToString() =>
        $"{Index}: {Name} {(IsUp ? "UP" : "DOWN")}{(IsRunning ? ",RUNNING" : "")}{(HasCarrier ? ",CARRIER" : "")} {FormatMac(HardwareAddress)}";

    public static string FormatMac(ReadOnlySpan<byte> address) => Convert.ToHexString(address).ToLowerInvariant() is { Length: > 0 } hex
        ? string.Join(':', Enumerable.Range(0, hex.Length / 2).Select(i => hex.Substring(i * 2, 2)))
        : "-";
}
