using System.Net.Sockets;
using Reconciler.Topology.Model;

namespace Reconciler.Topology.Yaml;

/// <summary>The spelling of enum values in topology files (one place for writer, binder and schema).</summary>
internal static class ModelText
{
    public static string Of(Protocol value) => value switch
    {
        Protocol.Udp => "udp",
        Protocol.Sctp => "sctp",
        _ => "tcp",
    };

    public static string Of(Forwarding value) => value switch
    {
        Forwarding.DirectRouting => "dr",
        Forwarding.Tunnel => "tunnel",
        _ => "nat",
    };

    public static string Of(TunnelType value) => value switch
    {
        TunnelType.Gue => "gue",
        TunnelType.Gre => "gre",
        _ => "ipip",
    };

    public static string Of(HealthCheckKind value) => value switch
    {
        HealthCheckKind.Http => "http",
        HealthCheckKind.Https => "https",
        HealthCheckKind.Exec => "exec",
        HealthCheckKind.Udp => "udp",
        HealthCheckKind.Ping => "ping",
        HealthCheckKind.Dns => "dns",
        HealthCheckKind.Smtp => "smtp",
        HealthCheckKind.File => "file",
        _ => "tcp",
    };

    public static string Of(AddressFamily value) => value == AddressFamily.InterNetworkV6 ? "ipv6" : "ipv4";

    public static Protocol? ParseProtocol(string text) => text switch
    {
        "tcp" => Protocol.Tcp,
        "udp" => Protocol.Udp,
        "sctp" => Protocol.Sctp,
        _ => null,
    };

    public static Forwarding? ParseForwarding(string text) => text switch
    {
        "nat" => Forwarding.Nat,
        "dr" => Forwarding.DirectRouting,
        "tunnel" => Forwarding.Tunnel,
        _ => null,
    };

    public static TunnelType? ParseTunnelType(string text) => text switch
    {
        "ipip" => TunnelType.Ipip,
        "gue" => TunnelType.Gue,
        "gre" => TunnelType.Gre,
        _ => null,
    };

    public static HealthCheckKind? ParseHealthCheckKind(string text) => text switch
    {
        "tcp" => HealthCheckKind.Tcp,
        "http" => HealthCheckKind.Http,
        "https" => HealthCheckKind.Https,
        "exec" => HealthCheckKind.Exec,
        "udp" => HealthCheckKind.Udp,
        "ping" => HealthCheckKind.Ping,
        "dns" => HealthCheckKind.Dns,
        "smtp" => HealthCheckKind.Smtp,
        "file" => HealthCheckKind.File,
        _ => null,
    };

    public static AddressFamily? ParseFamily(string text) => text switch
    {
        "ipv4" => AddressFamily.InterNetwork,
        "ipv6" => AddressFamily.InterNetworkV6,
        _ => null,
    };

    public static string Of(RouteType value) => value.ToString().ToLowerInvariant();

    public static string Of(RouteScope value) => value.ToString().ToLowerInvariant();

    public static string Of(RuleAction value) => value.ToString().ToLowerInvariant();

    public static RouteType? ParseRouteType(string text) => Parse(Enum.GetValues<RouteType>(), text);

    public static RouteScope? ParseRouteScope(string text) => Parse(Enum.GetValues<RouteScope>(), text);

    public static RuleAction? ParseRuleAction(string text) => Parse(Enum.GetValues<RuleAction>(), text);

    /// <summary>The member whose lower-case name is <paramref name="text"/> (the schema's spelling), or null.</summary>
    private static T? Parse<T>(T[] values, string text)
        where T : struct, Enum =>
        values.Where(v => v.ToString().ToLowerInvariant() == text).Select(v => (T?)v).FirstOrDefault();

    public static IReadOnlyList<string> Schedulers { get; } =
        ["rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "mh", "twos"];

    public static IReadOnlyList<string> SchedulerFlags { get; } =
        ["sh-port", "sh-fallback", "mh-port", "mh-fallback", "flag-1", "flag-2", "flag-3"];
}
