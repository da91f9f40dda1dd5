using System.Globalization;
using System.Text.Json;
using Reconciler.KernelTests.Infrastructure;

namespace Reconciler.KernelTests.Scenarios;

/// <summary>
/// Stateful failover, asserted: tests/scenarios/stateful-failover.sh runs, in this guest, two LVS-DR director pairs one
/// after the other on fresh namespaces (keepalived with <c>lvs_sync_daemon</c>, the anchor; then two
/// <c>reconciler agent</c>s with <c>connectionSync</c>), each with long-lived TCP streams through the VIP that are
/// checked byte for byte while the MASTER is killed hard; our pair first goes through a planned handover and back
/// (<c>reconciler handover</c>, then <c>--resume</c>). It writes every check and figure to results.json: each check must
/// pass, each figure must have been measured, and our pair must have kept every stream through all three moves.
/// </summary>
[Collection(WholeSystemTests.Collection)]
public sealed class StatefulFailoverScenarioTests : IDisposable
{
    private const int Connections = 8;

    /// <summary>What our half leaves in SCENARIO_OUT that tells why a stream died.</summary>
    private static readonly string[] EvidenceFiles =
        ["ours-agent-lb1.log", "ours-agent-lb2.log", "ours-lb2-conns-before.txt", "ours-lb2-conns-after.txt", "ours-lb2-daemons-after.txt", "ours-streams.txt"];

    private readonly string _out = Directory.CreateTempSubdirectory("stateful-failover-").FullName;

    public void Dispose() => Directory.Delete(_out, recursive: true);

    [Fact]
    public void StatefulFailover_OursKeepsEveryConnection()
    {
        Lab.RequireIpvsKernel();
        var script = FindScript();

        // Both halves, the scenario as specified (connection sync on, the default client and timeouts), whatever the
        // caller's environment says.
        var run = Lab.Run("env", "-u", "SF_RT_TIMEOUT", "-u", "SF_FAILOVER_TIMEOUT", $"SCENARIO_OUT={_out}",
            $"RECONCILER_BIN={ReconcilerBinary.Path}", "SF_ONLY=", $"SF_CONNECTIONS={Connections.ToString(CultureInfo.InvariantCulture)}",
            "SF_CONNECTION_SYNC=yes", "SF_ARP_QUEUE=1", "bash", script, "--in-guest");
        var resultsPath = Path.Combine(_out, "results.json");
        Assert.True(File.Exists(resultsPath), $"the scenario wrote no results.json (exit {run.ExitCode}):\n{run.Output}\n{run.Error}");
        var results = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(resultsPath))!;

        var checks = results.Where(r => r.Key.StartsWith("check.", StringComparison.Ordinal)).ToList();
        var failed = checks.Where(c => c.Value != "pass").Select(c => c.Key).ToList();
        Assert.True(failed.Count == 0, $"failed checks: {string.Join(", ", failed)}\n{run.Output}\n{run.Error}\n{Evidence()}");
        Assert.True(checks.Count >= 20, $"only {checks.Count} checks ran:\n{run.Output}");
        Assert.Equal(0, run.ExitCode);

        foreach (var prefix in (string[])["keepalived_", "ours_"])
        {
            Assert.True(results.ContainsKey(prefix + "connections"), $"the {prefix.TrimEnd('_')} half did not run:\n{run.Output}");
            Assert.Equal(Connections, Figure(results, prefix + "connections"));
            foreach (var figure in (string[])["sync_wait_ms", "vip_moved_ms", "service_restored_ms", "failed_requests", "connections_survived"])
            {
                Assert.True(Figure(results, prefix + figure) >= 0, $"{prefix}{figure} was not measured:\n{run.Output}");
            }
        }

        Assert.True(Figure(results, "ours_handover_ms") > 0, $"the handover did not run:\n{run.Output}");
        Assert.Equal(0, Figure(results, "ours_handover_connections_reset"));
        Assert.Equal(0, Figure(results, "ours_handover_failed_requests"));

        // The anchor's result is reported, not judged; ours must keep every stream through the failover.
        Assert.True(Figure(results, "ours_connections_survived") == Connections,
            $"ours kept {results["ours_connections_survived"]} of {Connections} connections (keepalived kept {results["keepalived_connections_survived"]}); "
            + $"first error: {results.GetValueOrDefault("ours_first_error")}\n{run.Output}\n{Evidence()}");
    }

    private static int Figure(Dictionary<string, string> results, string key) =>
        results.TryGetValue(key, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : throw new KeyNotFoundException($"no figure {key} in results.json");

    private string Evidence() => string.Concat(EvidenceFiles.Select(name => Tail(Path.Combine(_out, name))));

    private static string FindScript()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "scenarios", "stateful-failover.sh");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("tests/scenarios/stateful-failover.sh not found above " + AppContext.BaseDirectory);
    }

    private static string Tail(string path) =>
        File.Exists(path) ? $"--- {Path.GetFileName(path)}:\n" + string.Join('\n', File.ReadLines(path).TakeLast(40)) + "\n" : "";
}
