namespace Reconciler.Health.Probes;

/// <summary>
/// One health probe of one real server: a single try, no retries, no state. Implementations bound themselves
/// by their own timeout and never throw for a failed check: a failure is a result with a <see cref="ProbeResult.Detail"/>.
/// The scheduler (<see cref="Checking.CheckRunner"/>) decides what the results mean.
/// </summary>
public interface IHealthProbe
{
    /// <summary>The probe's own bound; the scheduler abandons a probe that overruns it by more than a grace period.</summary>
    TimeSpan Timeout { get; }

    ValueTask<ProbeResult> ProbeAsync(CancellationToken cancellationToken);
}

/// <summary>The outcome of one probe.</summary>
/// <param name="Healthy">Whether the server passed.</param>
/// <param name="Detail">What happened, for logs and events: <c>tcp connect 10.0.0.101:80 refused</c>.</param>
/// <param name="DynamicWeight">A weight the check itself reports (MISC_CHECK's <c>misc_dynamic</c>); null = configured.</param>
public readonly record struct ProbeResult(bool Healthy, string Detail, int? DynamicWeight = null)
{
    public static ProbeResult Pass(string detail, int? dynamicWeight = null) => new(true, detail, dynamicWeight);

    public static ProbeResult Fail(string detail) => new(false, detail);
}

/// <summary>Marks the built-in probes, which end by their own timeout however the server behaves: the scheduler
/// spares them the watchdog it puts on other probes.</summary>
internal interface ISelfTimedProbe
{
}
