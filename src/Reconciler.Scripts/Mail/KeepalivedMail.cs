namespace Reconciler.Scripts.Mail;

/// <summary>
/// keepalived's alert texts (smtp.c, vrrp_notify.c, check_api.c), so that mail filters and the people who read them
/// see what they saw from keepalived: <c>[ROUTER_ID] VRRP Instance VI_1 - Entering MASTER state</c> with the body
/// <c>=&gt; VRRP Instance is now owning VRRP VIPs &lt;=</c>, and so on.
/// </summary>
public static class KeepalivedMail
{
    /// <summary>A VRRP instance entered <paramref name="state"/> (MASTER, BACKUP, FAULT or STOP); null for a state
    /// keepalived does not mail.</summary>
    public static MailAlert? Instance(string routerId, string instance, string state) => state switch
    {
        "MASTER" => new($"[{routerId}] VRRP Instance {instance} - Entering MASTER state", "=> VRRP Instance is now owning VRRP VIPs <="),
        "BACKUP" => new($"[{routerId}] VRRP Instance {instance} - Entering BACKUP state", "=> VRRP Instance is no longer owning VRRP VIPs <="),
        "FAULT" => new($"[{routerId}] VRRP Instance {instance} - Entering FAULT state", "=> VRRP Instance is no longer owning VRRP VIPs <="),
        "STOP" => new($"[{routerId}] VRRP Instance {instance} - Stopping", "=> VRRP Instance stopping <="),
        _ => null,
    };

    /// <summary>A sync group as a whole entered <paramref name="state"/>; null for a state keepalived does not mail.</summary>
    public static MailAlert? Group(string routerId, string group, string state) => state switch
    {
        "MASTER" or "BACKUP" or "FAULT" => new($"[{routerId}] VRRP Group {group} - Entering {state} state", $"=> All VRRP group instances are now in {state} state <="),
        "STOP" => new($"[{routerId}] VRRP Group {group} - Stopping", "=> All VRRP group instances are now stopping <="),
        _ => null,
    };

    /// <summary>The health checker brought a real server up or took it down.</summary>
    /// <param name="realServer">keepalived's <c>[10.0.0.1]:tcp:80</c> (see <see cref="Endpoint"/>).</param>
    /// <param name="virtualServer">keepalived's <c>[192.168.1.120]:tcp:80</c> or <c>FWM 1</c>.</param>
    /// <param name="reason">What the checker saw, e.g. <c>tcp connect 10.0.0.101:80 refused, 3rd failure</c>.</param>
    public static MailAlert RealServer(string routerId, string realServer, string virtualServer, bool up, string reason) =>
        new($"[{routerId}] Realserver {realServer} of virtual server {virtualServer} - {(up ? "UP" : "DOWN")}", $"=> {reason} <=");

    /// <summary>A service gained or lost its quorum.</summary>
    public static MailAlert Quorum(string routerId, string virtualServer, bool gained, string reason) =>
        new($"[{routerId}] Virtualserver {virtualServer} - {(gained ? "UP" : "DOWN")}",
            $"=> {(gained ? "Gained" : "Lost")} quorum for VS {virtualServer}: {reason} <=");

    /// <summary>keepalived's endpoint form: <c>[ADDRESS]:PROTOCOL:PORT</c>, the protocol in lower case.</summary>
    public static string Endpoint(string address, string protocol, int port) =>
        $"[{address}]:{protocol.ToLowerInvariant()}:{port}";
}
