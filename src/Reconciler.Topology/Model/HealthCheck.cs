using System.Net;

namespace Reconciler.Topology.Model;

/// <summary>
/// How a real server's health is checked, with keepalived's timing semantics: every
/// <paramref name="Interval"/> (<c>delay_loop</c>) one attempt plus up to <paramref name="Retries"/> retries,
/// <paramref name="DelayBeforeRetry"/> apart; <paramref name="Rise"/> / <paramref name="Fall"/> consecutive
/// results change its state; the first check waits a random time up to <paramref name="Warmup"/>.
/// </summary>
public sealed record HealthCheck(
    HealthCheckKind Kind,
    TimeSpan Interval,
    TimeSpan ConnectTimeout,
    int Retries,
    TimeSpan DelayBeforeRetry,
    int Rise,
    int Fall,
    TimeSpan Warmup,
    int? Port,
    IPAddress? BindAddress,
    HttpCheck? Http,
    ExecCheck? Exec,
    SlowStart? SlowStart)
{
    /// <summary>UDP_CHECK's settings (<see cref="HealthCheckKind.Udp"/>); null: keepalived's defaults.</summary>
    public UdpCheck? Udp { get; init; }

    /// <summary>DNS_CHECK's query (<see cref="HealthCheckKind.Dns"/>); null: keepalived's defaults (SOA of ".").</summary>
    public DnsCheck? Dns { get; init; }

    /// <summary>SMTP_CHECK's settings (<see cref="HealthCheckKind.Smtp"/>); null: keepalived's defaults.</summary>
    public SmtpCheck? Smtp { get; init; }

    /// <summary>FILE_CHECK's reference to a tracked file (<see cref="HealthCheckKind.File"/>).</summary>
    public FileCheck? File { get; init; }

    /// <summary>keepalived's <c>alpha</c>: a real server starts down (out of the table) until its first good result,
    /// which brings it up at once. Without it a server starts up (an agent restart pulls no live server) and its first
    /// failed result takes it down at once.</summary>
    public bool Alpha { get; init; }
}

public enum HealthCheckKind
{
    Tcp,
    Http,
    Https,
    Exec,

    /// <summary>keepalived's UDP_CHECK: a datagram to the port; failed by an ICMP error (port, host or network
    /// unreachable) within the connect timeout, or, when a reply is required, by no (matching) reply.</summary>
    Udp,

    /// <summary>keepalived's PING_CHECK: an ICMP (ICMPv6) echo request answered within the connect timeout.</summary>
    Ping,

    /// <summary>keepalived's DNS_CHECK: a query over UDP answered (same id, a response, no error).</summary>
    Dns,

    /// <summary>keepalived's SMTP_CHECK: the 220 greeting, then HELO answered with 250.</summary>
    Smtp,

    /// <summary>keepalived's FILE_CHECK: the number in a tracked file (a <c>checks</c> entry with a file) times the
    /// weight is added to the real server's weight; a weight-0 file with a non-zero value (reverse: zero) takes it down.
    /// Read again whenever the file is written (inotify), not by polling.</summary>
    File,
}

/// <summary>keepalived's UDP_CHECK. Hex strings are keepalived's free format (blanks between groups, an odd group
/// gets a leading 0); in <paramref name="ReplyPattern"/> an <c>x</c> nibble matches anything.</summary>
/// <param name="Payload">What to send, as hex; null: a random payload, as keepalived sends.</param>
/// <param name="RequireReply">Healthy only on a reply (otherwise: healthy unless an ICMP error comes back).</param>
/// <param name="ReplyPattern">With <paramref name="RequireReply"/>: the reply must match this, over the shorter of the two.</param>
/// <param name="MinReplyLength">With <paramref name="RequireReply"/>: shortest acceptable reply (keepalived: 0).</param>
/// <param name="MaxReplyLength">With <paramref name="RequireReply"/>: longest acceptable reply (keepalived: 255).</param>
public sealed record UdpCheck(string? Payload, bool RequireReply, string? ReplyPattern, int MinReplyLength, int MaxReplyLength)
{
    public static UdpCheck Default { get; } = new(null, false, null, 0, 255);
}

/// <summary>keepalived's DNS_CHECK: a query of <paramref name="Type"/> (A, NS, CNAME, SOA, MX, TXT, AAAA, RRSIG or
/// DNSKEY, in any case: <see cref="DnsQuery"/>) for <paramref name="Name"/>.</summary>
public sealed record DnsCheck(string Type, string Name)
{
    public static DnsCheck Default { get; } = new("SOA", ".");
}

/// <summary>keepalived's FILE_CHECK: the tracked file named <paramref name="Check"/>, with <paramref name="Weight"/> and
/// <paramref name="Reverse"/> as its multiplier; a null weight takes the tracked file's weight and reverse (keepalived does
/// the same for a missing weight or weight 0).</summary>
public sealed record FileCheck(string Check, int? Weight, bool Reverse);

/// <summary>keepalived's SMTP_CHECK: the name sent with HELO.</summary>
public sealed record SmtpCheck(string HeloName);

/// <summary>HTTP(S) GET: <paramref name="BodyDigest"/> is the MD5 hex of the body, as keepalived's <c>digest</c>.
/// The positional members are the first url; <see cref="MoreUrls"/> are keepalived's further <c>url</c> blocks.</summary>
public sealed record HttpCheck(string Path, ValueList<int> ExpectedStatus, string? BodyDigest, string? Host, bool VerifyTls)
{
    /// <summary>The urls checked after the first, in order (keepalived's second and later <c>url</c> blocks): the
    /// server is healthy only when every url passes. Empty: one url, as most checks have.</summary>
    public ValueList<HttpUrl> MoreUrls { get; init; } = ValueList<HttpUrl>.Empty;

    /// <summary>Every url in the order they are checked: the first, then <see cref="MoreUrls"/>.</summary>
    public IEnumerable<HttpUrl> AllUrls() => MoreUrls.Prepend(new HttpUrl(Path, ExpectedStatus, BodyDigest, Host));
}

/// <summary>One url of an HTTP(S) check, keepalived's <c>url</c> block: its path, the status codes that pass, the MD5
/// hex of the body (<c>digest</c>) and the Host header (<c>virtualhost</c>; null: the server's address).</summary>
public sealed record HttpUrl(string Path, ValueList<int> ExpectedStatus, string? BodyDigest, string? Host);

/// <summary>keepalived's MISC_CHECK: exit 0 is healthy; with <paramref name="DynamicWeight"/>, an exit code
/// 2..255 sets the weight to code - 2.</summary>
public sealed record ExecCheck(ValueList<string> Command, TimeSpan Timeout, bool DynamicWeight);

/// <summary>A recovered server's weight ramps linearly from 1 to its configured weight over <paramref name="Duration"/>.</summary>
public sealed record SlowStart(TimeSpan Duration);
