using System.Net.Sockets;
using Reconciler.Topology.Model;

namespace Reconciler.Topology;

/// <summary>
/// The values a topology file may leave out. The loader fills them in, the writer omits them, and
/// importers may use them to decide what is worth writing. Where keepalived has a default the value
/// follows it, except <see cref="HealthCheckInterval"/> (keepalived's <c>delay_loop</c> is 60 s, far too
/// slow to notice a dead server; an imported configuration writes its interval explicitly).
/// </summary>
public static class TopologyDefaults
{
    // Tracked checks (vrrp_script).
    public static TimeSpan CheckInterval { get; } = TimeSpan.FromSeconds(1);
    public const int CheckRise = 1;
    public const int CheckFall = 1;
    public const int CheckWeight = 0;

    /// <summary>A tracked file's weight (keepalived's <c>track_file</c> default, unlike a script's 0).</summary>
    public const int TrackedFileWeight = 1;

    /// <summary>A tracked check's timeout defaults to its interval.</summary>
    public static TimeSpan CheckTimeout(TimeSpan interval) => interval;

    // VRRP instances.
    public const int VrrpVersion = 2;
    public static TimeSpan AdvertInterval { get; } = TimeSpan.FromSeconds(1);
    public const bool Preempt = true;
    public static TimeSpan PreemptDelay { get; } = TimeSpan.Zero;
    public static GratuitousArp Garp => GratuitousArp.Default;
    public const int TrackInterfaceWeight = 0;

    // VRRP sync groups.

    /// <summary>keepalived's <c>sync_group_tracking_weight</c> is off unless given.</summary>
    public const bool SyncGroupTrackingWeights = false;

    // Virtual services.
    public const Protocol ServiceProtocol = Protocol.Tcp;
    public const AddressFamily FirewallMarkFamily = AddressFamily.InterNetwork;

    /// <summary>ipvsadm's default scheduler.</summary>
    public const string Scheduler = "wlc";
    public const Forwarding ServiceForwarding = Forwarding.Nat;
    public static TimeSpan PersistenceTimeout { get; } = TimeSpan.FromSeconds(360);
    public const int QuorumMinimum = 1;
    public const int QuorumHysteresis = 0;

    // Real servers.
    public const int RealServerWeight = 1;

    // Health checks.
    public static TimeSpan HealthCheckInterval { get; } = TimeSpan.FromSeconds(10);
    public static TimeSpan ConnectTimeout { get; } = TimeSpan.FromSeconds(5);
    public const int HealthCheckRise = 1;
    public const int HealthCheckFall = 1;
    public static TimeSpan Warmup { get; } = TimeSpan.Zero;

    /// <summary>keepalived: 3 for DNS_CHECK (<c>DNS_DEFAULT_RETRY</c>), 1 otherwise.</summary>
    public static int Retries(HealthCheckKind kind) => kind switch
    {
        HealthCheckKind.Dns => 3,
        HealthCheckKind.File => 0,
        _ => 1,
    };

    /// <summary>keepalived: the check's <paramref name="interval"/> (<c>delay_loop</c>) for DNS_CHECK, 3 s for
    /// HTTP_GET / SSL_GET, 1 s otherwise.</summary>
    public static TimeSpan DelayBeforeRetry(HealthCheckKind kind, TimeSpan interval) => kind switch
    {
        HealthCheckKind.Dns => interval,
        HealthCheckKind.Http or HealthCheckKind.Https => TimeSpan.FromSeconds(3),
        _ => TimeSpan.FromSeconds(1),
    };

    public const string HttpPath = "/";
    public static ValueList<int> HttpExpectedStatus { get; } = [200];
    public const bool HttpVerifyTls = true;

    /// <summary>The HTTP settings of an <c>http</c>/<c>https</c> check that gives none.</summary>
    public static HttpCheck Http { get; } = new(HttpPath, HttpExpectedStatus, null, null, HttpVerifyTls);

    /// <summary>An exec check's timeout defaults to the check's interval (keepalived's <c>misc_timeout</c>).</summary>
    public static TimeSpan ExecTimeout(TimeSpan interval) => interval;

    /// <summary>The name SMTP_CHECK sends with HELO when it names none (keepalived's <c>SMTP_DEFAULT_HELO</c>).</summary>
    public const string SmtpHeloName = "smtpchecker.keepalived.org";

    /// <summary>The settings of a <c>udp</c> check's <c>udp</c> mapping, key by key (keepalived's UDP_CHECK defaults).</summary>
    public static UdpCheck Udp => UdpCheck.Default;

    /// <summary>The query of a <c>dns</c> check's <c>dns</c> mapping, key by key: SOA of the root.</summary>
    public static DnsCheck Dns => DnsCheck.Default;

    /// <summary>The settings of an <c>smtp</c> check's <c>smtp</c> mapping, key by key.</summary>
    public static SmtpCheck Smtp { get; } = new(SmtpHeloName);
}
