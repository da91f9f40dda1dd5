using System.Globalization;
using System.Text.Json;
using Reconciler.Bench.Lab;

namespace Reconciler.Bench.Failover;

/// <summary>
/// Stateful failover, ours against keepalived in the same guest: runs tests/scenarios/stateful-failover.sh (both
/// halves on fresh namespaces: an LVS-DR pair with connection sync, 8 long-lived byte-checked streams and a curl
/// client through the VIP, the MASTER killed hard; ours first hands over and back) <c>--runs</c> times and reports
/// the connections kept, the gap from the VIP's move to the first answered request, failed requests, and the
/// handover's time. The scenario's own checks must pass in each run that counts; a failed run is reported as such.
/// </summary>
internal sealed class StatefulFailoverBenchmark : IBenchmark
{
    public string Name => "stateful";

    public string Description => "hard failover with connection sync and a planned handover: ours vs keepalived's lvs_sync_daemon (--runs N)";

    public BenchmarkReport Run(IReadOnlyList<string> arguments)
    {
        var runs = Options.Int(arguments, "--runs", 3);
        var script = Path.Combine(RepositoryRoot.Find(), "tests", "scenarios", "stateful-failover.sh");
        var results = new List<Dictionary<string, string>>();
        var failedRuns = 0;
        for (var i = 0; i < runs; i++)
        {
            var output = Directory.CreateTempSubdirectory("bench-stateful-").FullName;
            try
            {
                var (exit, stdout, stderr, _) = Shell.TryRun("env", null, $"SCENARIO_OUT={output}", $"RECONCILER_BIN={RepositoryRoot.Reconciler()}", "bash", script, "--in-guest");
                var log = LabLogs.File(output, $"stateful-run{i + 1}.log");
                File.WriteAllText(log, stdout + stderr);
                LabLogs.Keep(log);

                var path = Path.Combine(output, "results.json");
                if (exit != 0 || !File.Exists(path))
                {
                    failedRuns++;
                    LabLogs.KeepFolder(output, $"stateful-run{i + 1}-failed");
                    Console.Error.WriteLine($"stateful run {i + 1}: the scenario failed (exit {exit}); its checks:\n{string.Join('\n', stdout.Split('\n').Where(l => l.Contains("FAIL", StringComparison.Ordinal)))}");
                    continue;
                }

                results.Add(JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path))!);
            }
            finally
            {
                Directory.Delete(output, recursive: true);
            }
        }

        var rows = new List<BenchmarkRow>();
        var figures = new List<BenchmarkFigure>
        {
            new("runs with every check passed", results.Count, "runs"),
            new("runs failed", failedRuns, "runs"),
        };
        foreach (var kind in (string[])["ours", "keepalived"])
        {
            AddSeconds(rows, results, $"{kind}: kill -> VIP on the backup", $"{kind}_vip_moved_ms");
            AddSeconds(rows, results, $"{kind}: VIP moved -> first answered request", $"{kind}_service_restored_ms");
            figures.Add(new($"{kind}: connections kept through the hard kill", Sum(results, $"{kind}_connections_survived"), "connections"));
            figures.Add(new($"{kind}: connections through the hard kill", Sum(results, $"{kind}_connections"), "connections"));
            figures.Add(new($"{kind}: failed requests across the hard kill", Sum(results, $"{kind}_failed_requests"), "requests"));
        }

        AddSeconds(rows, results, "ours: reconciler handover (whole command)", "ours_handover_ms");
        figures.Add(new("ours: connections reset by the handover and back", Sum(results, "ours_handover_connections_reset") + Sum(results, "ours_resume_connections_reset"), "connections"));
        figures.Add(new("ours: failed requests across the handover and back", Sum(results, "ours_handover_failed_requests") + Sum(results, "ours_resume_failed_requests"), "requests"));
        return new BenchmarkReport(Name, $"{results.Count} of {runs} scenario runs passed", rows, []) { Figures = figures };
    }

    private static void AddSeconds(List<BenchmarkRow> rows, List<Dictionary<string, string>> results, string operation, string key)
    {
        var seconds = results.Where(r => r.ContainsKey(key)).Select(r => int.Parse(r[key], CultureInfo.InvariantCulture) / 1000.0).Where(s => s >= 0).ToList();
        if (seconds.Count > 0)
        {
            rows.Add(BenchmarkRow.From(operation, seconds));
        }
    }

    private static double Sum(List<Dictionary<string, string>> results, string key) =>
        results.Sum(r => r.TryGetValue(key, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : 0);
}
