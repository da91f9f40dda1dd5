using System.Net;
using Reconciler.Keepalived.Parsing;
using Reconciler.Topology.Model;

namespace Reconciler.Keepalived.Import;

/// <summary>
/// What one checker block of a keepalived.conf says, as it is read keyword by keyword (a later keyword overrides an
/// earlier one, as in keepalived). Null: not given, so the real server's, the virtual server's or keepalived's default
/// applies.
/// </summary>
internal sealed class CheckerSettings
{
    // Every kind: keepalived's generic checker options.
    public TimeSpan? DelayLoop { get; set; }
    public TimeSpan? ConnectTimeout { get; set; }
    public int? Retry { get; set; }
    public TimeSpan? DelayBeforeRetry { get; set; }
    public TimeSpan? Warmup { get; set; }
    public bool? Alpha { get; set; }
    public int? Port { get; set; }
    public IPAddress? Bind { get; set; }

    // HTTP_GET, SSL_GET.
    public string? VirtualHost { get; set; }
    public List<ConfigStatement> Urls { get; } = [];

    // MISC_CHECK.
    public ValueList<string> Command { get; set; } = [];
    public TimeSpan? MiscTimeout { get; set; }
    public bool Dynamic { get; set; }

    // UDP_CHECK: hex in KeepalivedHex's canonical form.
    public string? Payload { get; set; }
    public bool RequireReply { get; set; }
    public string? ReplyPattern { get; set; }
    public ConfigStatement? MinReplyLength { get; set; }
    public ConfigStatement? MaxReplyLength { get; set; }
    public int MinReply { get; set; }
    public int MaxReply { get; set; } = UdpCheck.Default.MaxReplyLength;

    // DNS_CHECK.
    public string? DnsType { get; set; }
    public string? DnsName { get; set; }

    // SMTP_CHECK.
    public string? HeloName { get; set; }
}
