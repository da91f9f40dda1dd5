using System.Globalization;
using Reconciler.Bench.Lab;

namespace Reconciler.Bench.Report;

/// <summary>
/// <c>Reconciler.Bench report [--in DIR] [--out DIR]</c>: merges the benchmarks' JSONs under DIR/host and DIR/guest
/// (what <c>bench/run.sh</c> collects, default artifacts/bench) into one table on stdout, DIR/report.json and
/// DIR/report.md. DIR/run.txt (key=value, written by run.sh) gives the start and end of the measuring and the load averages then;
/// DIR/guest/environment.txt the guest's CPUs, model and kernel.
/// </summary>
internal static class ReportCommand
{
    public const string Description = "merge the JSONs under artifacts/bench/{host,guest} into one table, report.json and report.md";

    public static int Run(IReadOnlyList<string> arguments)
    {
        var input = Options.Text(arguments, "--in") ?? Path.Combine(RepositoryRoot.Find(), "artifacts", "bench");
        var output = Options.Text(arguments, "--out") ?? input;
        var inputs = ReportInputs.Load(input);
        var rows = ReportFigures.From(inputs);
        var machine = Machine.OfHost(inputs.Guest);
        var loadStart = inputs.Run.GetValueOrDefault("load_start");
        var loadEnd = inputs.Run.GetValueOrDefault("load_end") ?? (File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : null);
        var started = inputs.Run.TryGetValue("started", out var s) && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : DateTimeOffset.UtcNow;
        var finished = inputs.Run.TryGetValue("finished", out var f) && DateTimeOffset.TryParse(f, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var end)
            ? end
            : DateTimeOffset.UtcNow;
        double? duration = inputs.Run.ContainsKey("started") ? (finished - started).TotalSeconds : null;
        var document = new ReportDocument(
            started,
            duration,
            machine,
            LoadTriple(loadStart),
            LoadTriple(loadEnd),
            Busy(loadStart, machine.Cores) || Busy(loadEnd, machine.Cores),
            rows,
            ReportFigures.Missing(rows),
            inputs.Problems,
            inputs.Reports.Select(r => Path.GetRelativePath(input, r.Path)).ToList());
        Console.Write(document.ToText());
        document.Write(output);
        Console.WriteLine($"\nwrote {Path.Combine(output, "report.json")} and {Path.Combine(output, "report.md")}");
        return rows.Count > 0 ? 0 : 1;
    }

    /// <summary>The three load averages of a /proc/loadavg line.</summary>
    private static string? LoadTriple(string? line) => line is null ? null : string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(3));

    private static bool Busy(string? line, int cores) =>
        line?.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() is { } first
        && double.TryParse(first, CultureInfo.InvariantCulture, out var load)
        && load > cores;
}
