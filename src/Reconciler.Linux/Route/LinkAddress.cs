using Reconciler.Topology.Model;

namespace Reconciler.Linux.Route;

/// <summary>One interface address as RTM_GETADDR reports it.</summary>
/// <param name="InterfaceIndex">ifa_index.</param>
/// <param name="Address">IFA_LOCAL (IPv4) or IFA_ADDRESS (IPv6) with ifa_prefixlen.</param>
/// <param name="Scope">ifa_scope (0 universe, 253 link, 254 host).</param>
/// <param name="Flags">IFA_FLAGS when present, else ifa_flags (IFA_F_SECONDARY, IFA_F_NODAD, IFA_F_TENTATIVE, ...).</param>
/// <param name="Label">IFA_LABEL (IPv4 only), when present.</param>
public sealed record LinkAddress(int InterfaceIndex, InterfaceAddress Address, byte Scope, uint Flags, string? Label)
{
    public bool IsSecondary => (Flags & RouteNetlink.IFA_F_SECONDARY) != 0;

    public bool IsTentative => (Flags & RouteNetlink.IFA_F_TENTATIVE) != 0;

    public override string ToString() => $"{InterfaceIndex}: {Address} scope {Scope} flags 0x{Flags:x}";
}
