using System.Net;
using System.Net.Sockets;

namespace Reconciler.Topology.Model;

/// <summary>
/// An IPVS virtual service: either <paramref name="Address"/> + <paramref name="Port"/> + <paramref name="Protocol"/>,
/// or a <paramref name="FirewallMark"/> (then <paramref name="Family"/> says IPv4 or IPv6).
/// </summary>
/// <param name="VrrpInstance">When set, the service exists on a node only while that node is MASTER of this
/// instance (a BACKUP director that is also a real server must not re-balance what the MASTER sends it).</param>
/// <param name="HealthCheck">Default check for real servers that have none of their own.</param>
public sealed record VirtualService(
    string Name,
    IPAddress? Address,
    int? Port,
    Protocol Protocol,
    uint? FirewallMark,
    AddressFamily Family,
    string Scheduler,
    ValueList<string> SchedulerFlags,
    Forwarding Forwarding,
    TunnelSettings? Tunnel,
    Persistence? Persistence,
    bool OnePacket,
    SorryServer? SorryServer,
    Quorum? Quorum,
    bool InhibitOnFailure,
    string? VrrpInstance,
    HealthCheck? HealthCheck,
    ValueList<RealServer> RealServers)
{
    public bool IsFirewallMark => FirewallMark is not null;

    /// <summary>How users and error messages name the service: <c>TCP 192.168.1.120:80</c> or <c>FWM 7 (IPv4)</c>.</summary>
    public string Endpoint => FirewallMark is { } mark
        ? $"FWM {mark} ({(Family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4")})"
        : $"{Protocol.ToString().ToUpperInvariant()} {FormatEndpoint(Address!, Port ?? 0)}";

    public static string FormatEndpoint(IPAddress address, int port) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";

    /// <summary>The real server's own forwarding, else the service's.</summary>
    public Forwarding ForwardingOf(RealServer server) => server.Forwarding ?? Forwarding;

    /// <summary>The real server's own check, else the service's default, else none.</summary>
    public HealthCheck? HealthCheckOf(RealServer server) => server.HealthCheck ?? HealthCheck;

    /// <summary>Commands run when the service's quorum is lost or regained (keepalived's <c>quorum_up</c> /
    /// <c>quorum_down</c>, and <c>omega</c>); null: none.</summary>
    public ServiceNotify? Notify { get; init; }
}

/// <summary>keepalived's <c>quorum_up</c> and <c>quorum_down</c>: a command run when the live weight of the service's
/// real servers reaches its quorum again, and one run when it falls below (the service is withdrawn then). With
/// <paramref name="AtShutdown"/> (keepalived's <c>omega</c>) the agent also runs <c>quorum_down</c>, and the real
/// servers' <c>down</c> commands, for what is up when it stops.</summary>
public sealed record ServiceNotify(string? QuorumUp, string? QuorumDown, bool AtShutdown)
{
    /// <summary>Whether the real servers' and the quorum's changes are mailed (keepalived's <c>smtp_alert</c> on a
    /// virtual server); null: as <see cref="MailAlerts.Checkers"/> says.</summary>
    public bool? Mail { get; init; }
}

/// <summary>keepalived's <c>notify_up</c> and <c>notify_down</c>: commands run when the health checker brings the real
/// server up or takes it down.</summary>
public sealed record RealServerNotify(string? Up, string? Down);

public enum Protocol
{
    Tcp,
    Udp,
    Sctp,
}

public enum Forwarding
{
    /// <summary>LVS-NAT (masquerading).</summary>
    Nat,

    /// <summary>LVS-DR (direct routing, "gatewaying").</summary>
    DirectRouting,

    /// <summary>LVS-TUN (IP-in-IP, GUE or GRE).</summary>
    Tunnel,
}

public enum TunnelType
{
    Ipip,
    Gue,
    Gre,
}

/// <summary>Tunnel encapsulation for <see cref="Forwarding.Tunnel"/>; <paramref name="Port"/> is the GUE port.</summary>
public sealed record TunnelSettings(TunnelType Type, int? Port, bool Checksum, bool RemoteChecksum);

/// <summary>Client affinity: connections from one client (or client network of <paramref name="PrefixLength"/>)
/// go to the same real server for <paramref name="Timeout"/> after the last one.</summary>
public sealed record Persistence(TimeSpan Timeout, int? PrefixLength, string? Engine);

/// <summary>Where traffic goes when every real server is down.</summary>
public sealed record SorryServer(IPAddress Address, int Port, Forwarding? Forwarding);

/// <summary>keepalived's quorum: the service is withdrawn when the total weight of healthy real servers falls
/// below <paramref name="Minimum"/> - <paramref name="Hysteresis"/>, and restored when it reaches
/// <paramref name="Minimum"/> + <paramref name="Hysteresis"/>.</summary>
public sealed record Quorum(int Minimum, int Hysteresis);
