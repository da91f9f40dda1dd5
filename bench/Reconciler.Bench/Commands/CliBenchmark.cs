using System.Globalization;
using Reconciler.Bench.Agent;
using Reconciler.Bench.Ipvs;
using Reconciler.Bench.Lab;

namespace Reconciler.Bench.Commands;

/// <summary>
/// The published <c>reconciler</c> as a user starts it on the host, whole processes from start to exit (through
/// <see cref="WholeCommand"/>: <c>/usr/bin/time</c> for the peak resident size where it is installed):
/// <c>reconciler --version</c>, and <c>reconciler validate</c> of examples/seed (its directory, as a user points at
/// a checkout) and of 1,000 x 10 and 10,000 x 10 topologies (wrr, NAT, node lb1) written to a temporary folder.
/// Each is run once to warm up (the executable and the files in the page cache), then --runs times (default 10),
/// every run checked (exit 0; validate says valid). Targets (issue 21): validate of the seed under 50 ms, of
/// 1,000 x 10 under 200 ms.
/// </summary>
internal sealed class CliBenchmark : IBenchmark
{
    public string Name => "cli";

    public string Description => "reconciler --version and validate (seed, 1,000 x 10, 10,000 x 10) as whole processes on the host (targets: seed < 50 ms, 1,000 x 10 < 200 ms)";

    public BenchmarkReport Run(IReadOnlyList<string> arguments)
    {
        var runs = Options.Int(arguments, "--runs", 10);
        var reconciler = RepositoryRoot.Reconciler();
        var work = Directory.CreateTempSubdirectory("bench-cli-").FullName;
        try
        {
            var version = new CommandSamples("reconciler --version");
            Repeat(runs, version, () => WholeCommand.Expect(0, null, null, reconciler, "--version"), run => run.Output.Trim().Length > 0);

            var seed = new CommandSamples("reconciler validate examples/seed");
            Validate(runs, seed, reconciler, Path.Combine(RepositoryRoot.Find(), "examples", "seed"));

            var sized = new List<CommandSamples>();
            foreach (var services in new[] { 1000, 10_000 })
            {
                var file = Path.Combine(work, string.Create(CultureInfo.InvariantCulture, $"topology-{services}.yaml"));
                File.WriteAllText(file, TableFiles.Topology(IpvsBenchmark.Table(services, 10)));
                var samples = new CommandSamples(string.Create(CultureInfo.InvariantCulture, $"reconciler validate {services:N0} x 10"));
                Validate(runs, samples, reconciler, file);
                sized.Add(samples);
            }

            CommandSamples[] all = [version, seed, .. sized];
            return new BenchmarkReport(
                Name,
                string.Create(CultureInfo.InvariantCulture,
                    $"the published reconciler on the host, {Environment.ProcessorCount} CPUs: whole processes, start to exit{(WholeCommand.MeasuresPeak ? " (under /usr/bin/time, for the peak RSS)" : "")}; {runs} runs each after a warm-up, every run checked"),
                all.Select(s => s.Row()).ToList(),
                [seed.Budget(0.050), sized[0].Budget(0.200)])
            {
                Figures = [.. all.Select(s => s.Peak()).OfType<BenchmarkFigure>()],
            };
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static void Validate(int runs, CommandSamples samples, string reconciler, string path) =>
        Repeat(runs, samples, () => WholeCommand.Expect(0, null, null, reconciler, "validate", path), run => SaysValid(run.Output));

    /// <summary>validate's last line says the topology is valid (<c>valid: 0 errors, ...</c>).</summary>
    internal static bool SaysValid(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.StartsWith("valid:", StringComparison.Ordinal) == true;

    /// <summary>One warm-up run, then <paramref name="runs"/> kept; each must pass <paramref name="check"/>.</summary>
    private static void Repeat(int runs, CommandSamples samples, Func<CommandRun> command, Func<CommandRun, bool> check)
    {
        for (var run = 0; run <= runs; run++)
        {
            var result = command();
            if (!check(result))
            {
                throw new InvalidOperationException($"{samples.Operation}: unexpected output:\n{result.Output}");
            }

            if (run > 0)
            {
                samples.Add(result);
            }
        }

        Console.Error.WriteLine($"cli: {samples.Operation}: median {samples.Row().MedianSeconds:0.0000} s");
    }
}
