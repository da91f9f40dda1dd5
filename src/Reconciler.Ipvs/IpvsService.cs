namespace Reconciler.Ipvs;

/// <summary>
/// A virtual service's settings as the kernel holds them. <see cref="Flags"/> never include
/// <see cref="IpvsServiceFlags.Hashed"/> here; <see cref="Netmask"/> is the IPv4 netmask as a host-order u32
/// (0xffffffff by default) or the IPv6 prefix length (128 by default).
/// </summary>
public sealed record IpvsService(
    ServiceKey Key,
    string Scheduler,
    IpvsServiceFlags Flags,
    uint TimeoutSeconds,
    uint Netmask,
    string? PersistenceEngine)
{
    public bool IsPersistent => (Flags & IpvsServiceFlags.Persistent) != 0;
}

/// <summary>A destination (real server) of a virtual service, as the kernel holds it.</summary>
public sealed record IpvsDestination(
    System.Net.IPAddress Address,
    ushort Port,
    IpvsForwarding Forwarding,
    int Weight,
    uint UpperThreshold,
    uint LowerThreshold,
    IpvsTunnelType TunnelType = IpvsTunnelType.Ipip,
    ushort TunnelPort = 0,
    IpvsTunnelFlags TunnelFlags = IpvsTunnelFlags.None)
{
    public string Endpoint => Endpoints.Format(Address, Port);
}

/// <summary>Traffic counters the kernel keeps per service or destination.</summary>
public sealed record IpvsStats(
    ulong Connections,
    ulong PacketsIn,
    ulong PacketsOut,
    ulong BytesIn,
    ulong BytesOut,
    ulong ConnectionsPerSecond,
    ulong PacketsInPerSecond,
    ulong PacketsOutPerSecond,
    ulong BytesInPerSecond,
    ulong BytesOutPerSecond)
{
    public static IpvsStats Zero { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}

/// <summary>A service as read back from the kernel: settings plus counters.</summary>
public sealed record ServiceEntry(IpvsService Service, IpvsStats Stats);

/// <summary>A destination as read back from the kernel: settings plus connection counts and counters.</summary>
public sealed record DestinationEntry(
    IpvsDestination Destination,
    uint ActiveConnections,
    uint InactiveConnections,
    uint PersistentConnections,
    IpvsStats Stats);

/// <summary>One service with all its destinations: a full listing is a list of these.</summary>
public sealed record ServiceWithDestinations(ServiceEntry Entry, IReadOnlyList<DestinationEntry> Destinations)
{
    public IpvsService Service => Entry.Service;
}

/// <summary>GET_INFO: IPVS version (e.g. 1.2.1 as 0x010201) and connection table size.</summary>
public sealed record IpvsInfo(uint Version, uint ConnectionTableSize)
{
    public string VersionText => $"{(Version >> 16) & 0xff}.{(Version >> 8) & 0xff}.{Version & 0xff}";
}

/// <summary>Connection timeouts in seconds; 0 in a set request leaves that timeout unchanged.</summary>
public sealed record IpvsTimeouts(uint Tcp, uint TcpFin, uint Udp);

/// <summary>Connection synchronisation daemon (ipvsadm --start-daemon).</summary>
public sealed record IpvsSyncDaemon(
    IpvsSyncDaemonState State,
    string MulticastInterface,
    byte SyncId,
    ushort? SyncMaxLength = null,
    System.Net.IPAddress? MulticastGroup = null,
    ushort? MulticastPort = null,
    byte? MulticastTtl = null);

[Flags]
public enum IpvsSyncDaemonState : uint
{
    None = 0,
    Master = 1,
    Backup = 2,
}
