namespace Reconciler.Ipvs;

/// <summary>Transport protocol of a virtual service (IP protocol numbers, as the kernel stores them).</summary>
public enum IpvsProtocol : ushort
{
    None = 0,
    Tcp = 6,
    Udp = 17,
    Sctp = 132,
}

/// <summary>Forwarding method (IP_VS_CONN_F_FWD_MASK values of include/uapi/linux/ip_vs.h).</summary>
public enum IpvsForwarding : uint
{
    Masquerade = 0,
    LocalNode = 1,
    Tunnel = 2,
    DirectRoute = 3,
    Bypass = 4,
}

/// <summary>Service flags (IP_VS_SVC_F_*). The kernel always reports <see cref="Hashed"/>: compare without it.</summary>
[Flags]
public enum IpvsServiceFlags : uint
{
    None = 0,
    Persistent = 0x1,
    Hashed = 0x2,
    OnePacket = 0x4,

    /// <summary>sh-fallback / mh-fallback.</summary>
    Scheduler1 = 0x8,

    /// <summary>sh-port / mh-port.</summary>
    Scheduler2 = 0x10,
    Scheduler3 = 0x20,
}

/// <summary>Tunnel encapsulation of a tunnel-forwarded destination (IP_VS_CONN_F_TUNNEL_TYPE_*).</summary>
public enum IpvsTunnelType : byte
{
    Ipip = 0,
    Gue = 1,
    Gre = 2,
}

/// <summary>Tunnel flags (IP_VS_TUNNEL_ENCAP_FLAG_*).</summary>
[Flags]
public enum IpvsTunnelFlags : ushort
{
    None = 0,
    Checksum = 0x1,
    RemoteChecksum = 0x2,
}
