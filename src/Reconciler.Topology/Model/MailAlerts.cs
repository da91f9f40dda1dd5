namespace Reconciler.Topology.Model;

/// <summary>
/// E-mail alerts, as keepalived sends them (<c>notification_email</c>, <c>notification_email_from</c>,
/// <c>smtp_server</c>, <c>smtp_helo_name</c>, <c>smtp_connect_timeout</c>, <c>smtp_alert*</c> in <c>global_defs</c>):
/// plain SMTP to one relay, no authentication or TLS, one message per event with keepalived's subject lines
/// (<c>[lb1] VRRP Instance VI_1 - Entering MASTER state</c>). A VRRP instance, sync group or service sends them when
/// its notify block's <c>mail</c> says so, else when <see cref="Vrrp"/> / <see cref="Checkers"/> does.
/// </summary>
/// <param name="Server">The relay's host name or address.</param>
/// <param name="Port">The relay's TCP port (25).</param>
/// <param name="From">The sender (null: <c>reconciler@NODE</c>, as keepalived's <c>keepalived@HOSTNAME</c>).</param>
/// <param name="To">The recipients: one RCPT each, all in the To header.</param>
/// <param name="HeloName">The name given in HELO (null: the node's name).</param>
/// <param name="ConnectTimeout">Bounds the connection and each reply (keepalived's <c>smtp_connect_timeout</c>, 30 s).</param>
/// <param name="Vrrp">Whether VRRP instances and sync groups mail their transitions unless they say otherwise.</param>
/// <param name="Checkers">Whether services mail their real servers' and quorum's changes unless they say otherwise.</param>
public sealed record MailAlerts(
    string Server,
    int Port,
    string? From,
    ValueList<string> To,
    string? HeloName,
    TimeSpan ConnectTimeout,
    bool Vrrp,
    bool Checkers)
{
    public const int DefaultPort = 25;

    public static TimeSpan DefaultConnectTimeout { get; } = TimeSpan.FromSeconds(30);

    /// <summary>The relay as written: <c>HOST</c>, or <c>HOST:PORT</c> (<c>[ADDRESS]:PORT</c> for IPv6) when the port is not 25.</summary>
    public string ServerText => Port == DefaultPort ? Server
        : Server.Contains(':', StringComparison.Ordinal) ? $"[{Server}]:{Port}" : $"{Server}:{Port}";

    /// <summary>Parses <c>HOST</c>, <c>HOST:PORT</c>, an IPv6 address, or <c>[IPV6]:PORT</c>.</summary>
    public static bool TryParseServer(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? host, out int port)
    {
        host = null;
        port = DefaultPort;
        var portText = (string?)null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || (close + 1 < text.Length && text[close + 1] != ':'))
            {
                return false;
            }

            host = text[1..close];
            portText = close + 1 < text.Length ? text[(close + 2)..] : null;
        }
        else if (text.Count(c => c == ':') == 1)
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            host = text[..colon];
            portText = text[(colon + 1)..];
        }
        else
        {
            host = text;
        }

        if (host.Length == 0 || host.Any(char.IsWhiteSpace)
            || (portText is not null && (!int.TryParse(portText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)))
        {
            host = null;
            return false;
        }

        return true;
    }

    /// <summary>The sender for <paramref name="node"/>.</summary>
    public string FromFor(string node) => From ?? $"reconciler@{node}";

    /// <summary>Whether a VRRP instance or sync group with <paramref name="notify"/> mails its transitions.</summary>
    public bool MailsVrrp(VrrpNotify? notify) => notify?.Mail ?? Vrrp;

    /// <summary>Whether a service with <paramref name="notify"/> mails its changes.</summary>
    public bool MailsChecker(ServiceNotify? notify) => notify?.Mail ?? Checkers;
}
