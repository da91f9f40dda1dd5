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
    SlowStart? SlowStart);

public enum HealthCheckKind
{
    Tcp,
    Http,
    Https,
    Exec,
}

/// <summary>HTTP(S) GET: <paramref name="BodyDigest"/> is the MD5 hex of the body, as keepalived's <c>digest</c>.</summary>
public sealed record HttpCheck(string Path, ValueList<int> ExpectedStatus, string? BodyDigest, string? Host, bool VerifyTls);

/// <summary>keepalived's MISC_CHECK: exit 0 is healthy; with <paramref name="DynamicWeight"/>, an exit code
/// 2..255 sets the weight to code - 2.</summary>
public sealed record ExecCheck(ValueList<string> Command, TimeSpan Timeout, bool DynamicWeight);

/// <summary>A recovered server's weight ramps linearly from 1 to its configured weight over <paramref name="Duration"/>.</summary>
public sealed record SlowStart(TimeSpan Duration);
