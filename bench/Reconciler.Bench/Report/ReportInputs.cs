using System.Text.Json;

namespace Reconciler.Bench.Report;

/// <summary>One benchmark's JSON as found under the results folder: where it ran (host or guest), its folder
/// relative to that (e.g. <c>health-inline</c>), and the report itself.</summary>
internal sealed record LoadedReport(string Where, string Folder, string Path, BenchmarkReport Report);

/// <summary>Everything <c>report</c> merges: the JSONs under host/ and guest/, and the run's notes from the scripts.</summary>
internal sealed record ReportInputs(IReadOnlyList<LoadedReport> Reports, IReadOnlyList<string> Problems, Dictionary<string, string> Run, GuestMachine? Guest)
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static ReportInputs Load(string directory)
    {
        var reports = new List<LoadedReport>();
        var problems = new List<string>();
        foreach (var where in new[] { "host", "guest" })
        {
            var root = System.IO.Path.Combine(directory, where);
            if (!Directory.Exists(root))
            {
                problems.Add($"no {where} results ({root} is missing)");
                continue;
            }

            foreach (var path in Directory.EnumerateFiles(root, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                try
                {
                    var report = JsonSerializer.Deserialize<BenchmarkReport>(File.ReadAllText(path), JsonOptions)
                        ?? throw new JsonException("empty");
                    var folder = System.IO.Path.GetRelativePath(root, System.IO.Path.GetDirectoryName(path)!);
                    reports.Add(new LoadedReport(where, folder == "." ? "" : folder, path, report));
                }
                catch (JsonException e)
                {
                    problems.Add($"{path}: not a benchmark report ({e.Message})");
                }
            }

            // One line per benchmark that failed: "NAME EXIT-STATUS", written by bench/run.sh and bench/guest.sh.
            var failed = System.IO.Path.Combine(root, "failed.txt");
            if (File.Exists(failed))
            {
                problems.AddRange(File.ReadLines(failed).Where(l => l.Length > 0).Select(l => $"{where}: {l}"));
            }
        }

        return new ReportInputs(
            reports,
            problems,
            KeyValues.Read(System.IO.Path.Combine(directory, "run.txt")),
            GuestMachine.Read(System.IO.Path.Combine(directory, "guest", "environment.txt")));
    }

    /// <summary>The reports named <paramref name="name"/> (several for health: one per folder).</summary>
    public IEnumerable<LoadedReport> Named(string name) => Reports.Where(r => r.Report.Name == name);
}
