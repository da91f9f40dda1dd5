using System.Text.Json;
using Reconciler.KernelTests.Infrastructure;

namespace Reconciler.KernelTests.Scenarios;

/// <summary>
/// The README's main job, asserted: tests/scenarios/seed-ha.sh rebuilds the seed's HA set-up (two directors running
/// `reconciler agent`, nginx real servers and sites, a client, the topology served by git daemon) in this guest and
/// writes every check and figure to results.json; each check must pass and each figure must have been measured.
/// </summary>
[Collection(WholeSystemTests.Collection)]
public sealed class SeedHaScenarioTests : IDisposable
{
    private readonly string _out = Directory.CreateTempSubdirectory("seed-ha-").FullName;

    public void Dispose() => Directory.Delete(_out, recursive: true);

    [Fact]
    public void SeedScenario_EveryStepHolds()
    {
        Lab.RequireIpvsKernel();
        var script = FindScript();

        var run = Lab.Run("env", $"SCENARIO_OUT={_out}", $"RECONCILER_BIN={ReconcilerBinary.Path}", "bash", script, "--in-guest");
        var resultsPath = Path.Combine(_out, "results.json");
        Assert.True(File.Exists(resultsPath), $"the scenario wrote no results.json (exit {run.ExitCode}):\n{run.Output}\n{run.Error}");
        var results = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(resultsPath))!;

        var checks = results.Where(r => r.Key.StartsWith("check.", StringComparison.Ordinal)).ToList();
        var failed = checks.Where(c => c.Value != "pass").Select(c => c.Key).ToList();
        Assert.True(failed.Count == 0, $"failed checks: {string.Join(", ", failed)}\n{run.Output}\n{Tail(Path.Combine(_out, "agent-lb1.log"))}\n{Tail(Path.Combine(_out, "agent-lb2.log"))}");
        Assert.True(checks.Count >= 30, $"only {checks.Count} checks ran:\n{run.Output}");
        Assert.Equal(0, run.ExitCode);
        foreach (var figure in (string[])["failover_vip_on_lb2_ms", "lb1_rs_removed_on_lb2_ms", "vip_back_on_lb1_ms", "commit_to_applied_lb1_ms", "commit_to_applied_lb2_ms", "rs_removed_after_ms", "rs_readded_after_ms"])
        {
            Assert.True(int.Parse(results[figure], System.Globalization.CultureInfo.InvariantCulture) >= 0, $"{figure} was not measured");
        }

        Assert.Equal("1", results["weight_change_ops_lb1"]);
        Assert.Equal("0", results["restart_failed_requests"]);
    }

    private static string FindScript()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "scenarios", "seed-ha.sh");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("tests/scenarios/seed-ha.sh not found above " + AppContext.BaseDirectory);
    }

    private static string Tail(string path) =>
        File.Exists(path) ? $"--- {Path.GetFileName(path)}:\n" + string.Join('\n', File.ReadLines(path).TakeLast(40)) : "";
}
