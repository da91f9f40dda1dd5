namespace Reconciler.Agent.Hosting;

/// <summary>How <see cref="AgentHost"/> runs, beyond the agent's settings: what the process gets from systemd.</summary>
public sealed record AgentHostOptions
{
    /// <summary>A loop busy with one unit of work (a poll, a reconcile) longer than this is stuck, and the systemd
    /// watchdog is no longer pinged. A poll (ls-remote, a fetch) and a reconcile of 10,000 services each take well under
    /// a minute even in the emulated lab; five minutes of one is a hang, not a slow server.</summary>
    public static readonly TimeSpan DefaultStuckAfter = TimeSpan.FromMinutes(5);

    public TimeSpan StuckAfter { get; init; } = DefaultStuckAfter;

    /// <summary>Where <c>NOTIFY_SOCKET</c>, <c>WATCHDOG_USEC</c> and <c>WATCHDOG_PID</c> are read: the process's
    /// environment.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;
}
