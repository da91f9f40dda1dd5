using System.Globalization;
using Reconciler.Bench.Lab;

namespace Reconciler.Bench.Agent;

/// <summary>
/// <c>reconciler agent</c> for node lb1 in a namespace, following <see cref="TopologyRepository.Url"/>, its endpoint on
/// 127.0.0.1:9477 in that namespace (read with curl run there).
/// </summary>
internal static class AgentProcess
{
    public static LabProcess Start(LabNamespace space, string stateDirectory, string pollInterval, string log) =>
        LabProcess.StartIn(space.Name, log, RepositoryRoot.Reconciler(), "agent", "--node", "lb1", "--repo", TopologyRepository.Url,
            "--state-dir", stateDirectory, "--poll-interval", pollInterval, "--endpoint", "127.0.0.1:9477");

    /// <summary>Waits for <c>/healthz</c> to answer 200; returns the seconds since the agent started.</summary>
    public static double WaitHealthy(LabNamespace space, LabProcess agent, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Shell.TryRun("ip", null, "netns", "exec", space.Name, "curl", "-sf", "--max-time", "10", "http://127.0.0.1:9477/healthz").Exit != 0)
        {
            agent.ThrowIfExited();
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the agent's /healthz did not answer within {timeout.TotalSeconds:0} s; end of {agent.Log}:\n{LabProcess.Tail(agent.Log, 20)}");
            }

            Thread.Sleep(1000);
        }

        return agent.Clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Seconds from <paramref name="started"/> (UTC, as the agent's console log stamps its lines: HH:mm:ss.fff)
    /// to the first line of <paramref name="log"/> containing <paramref name="marker"/>; null when there is none.
    /// </summary>
    public static double? LogTime(string log, string marker, DateTime started)
    {
        if (!File.Exists(log))
        {
            return null;
        }

        using var reader = new StreamReader(new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        while (reader.ReadLine() is { } line)
        {
            if (line.Contains(marker, StringComparison.Ordinal)
                && line.Length > 12
                && TimeSpan.TryParseExact(line[..12], @"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture, out var time))
            {
                var seconds = (time - started.TimeOfDay).TotalSeconds;
                return seconds < -60 ? seconds + 86_400 : seconds;
            }
        }

        return null;
    }

    /// <summary>Waits until <c>/metrics</c> counts <paramref name="commits"/> commits applied (the agent counts one
    /// when its reconcile of that commit is over); returns the seconds since the agent started.</summary>
    public static double WaitCommitsApplied(LabNamespace space, LabProcess agent, int commits, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while ((Metric(space, "reconciler_commits_applied_total") ?? 0) < commits)
        {
            agent.ThrowIfExited();
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the agent did not finish applying within {timeout.TotalSeconds:0} s; end of {agent.Log}:\n{LabProcess.Tail(agent.Log, 5)}");
            }

            Thread.Sleep(1000);
        }

        return agent.Clock.Elapsed.TotalSeconds;
    }

    /// <summary>One counter or gauge from <c>/metrics</c> (summed over its labels), or null when absent.</summary>
    public static double? Metric(LabNamespace space, string name)
    {
        var (exit, output, _, _) = Shell.TryRun("ip", null, "netns", "exec", space.Name, "curl", "-sf", "--max-time", "30", "http://127.0.0.1:9477/metrics");
        if (exit != 0)
        {
            return null;
        }

        double? sum = null;
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith(name, StringComparison.Ordinal) && line.Length > name.Length && line[name.Length] is ' ' or '{')
            {
                sum = (sum ?? 0) + double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return sum;
    }
}
