using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Reconciler.Bench.Report;

/// <summary>The merged report: when and where it was measured, how loaded the machine was, the rows, and what is
/// missing. Printed as a table, written as JSON and as Markdown (what the README quotes).</summary>
internal sealed record ReportDocument(
    DateTimeOffset Date,
    double? DurationSeconds,
    Machine Machine,
    string? LoadAverageStart,
    string? LoadAverageEnd,
    bool Shared,
    IReadOnlyList<ReportRow> Rows,
    IReadOnlyList<string> NotMeasured,
    IReadOnlyList<string> Problems,
    IReadOnlyList<string> Sources)
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The lines above the table: date, machine, guest, load.</summary>
    public IEnumerable<string> Header()
    {
        var date = Date.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var took = DurationSeconds is { } d ? string.Create(CultureInfo.InvariantCulture, $", whole run {d / 60:0.0} min") : "";
        yield return $"Measured {date}{took} by `bash bench/run.sh`.";
        yield return string.Create(CultureInfo.InvariantCulture, $"Host: {Machine.Cores} cores, {Machine.Model}, Linux {Machine.Kernel}.");
        if (Machine.Guest is { } guest)
        {
            yield return string.Create(CultureInfo.InvariantCulture,
                $"Lab guest: {guest.Cpus} vCPUs, {guest.Model}, {guest.MemoryMegabytes} MB, kernel {guest.Kernel}, {guest.Emulation}: absolute guest times are emulated, compare ratios.");
        }
        else
        {
            yield return "Lab guest: did not report (no guest results).";
        }

        var load = $"Load average (1, 5, 15 min) at start {LoadAverageStart ?? "?"}, at end {LoadAverageEnd ?? "?"}";
        yield return Shared ? load + $": the machine was shared with other work (load above its {Machine.Cores} cores), so times are inflated and noisy." : load + ".";
    }

    public string ToText()
    {
        var text = new StringBuilder();
        foreach (var line in Header())
        {
            text.Append(line.Replace("`", "", StringComparison.Ordinal)).Append('\n');
        }

        text.Append('\n');
        var widths = new[] { 4, 4, 4, 5, 5 };
        var cells = Rows.Select(r => new[] { r.Figure, r.OursText.Replace("`", "", StringComparison.Ordinal), r.AnchorText.Replace("`", "", StringComparison.Ordinal), Ratio(r), Where(r) }).ToList();
        cells.Insert(0, ["figure", "ours", "anchor (same run)", "ratio", "where"]);
        for (var c = 0; c < widths.Length; c++)
        {
            widths[c] = Math.Min(c == 0 ? 80 : 70, cells.Max(row => row[c].Length));
        }

        foreach (var row in cells)
        {
            text.Append(string.Join("  ", row.Select((cell, c) => cell.PadRight(widths[c])))).Append('\n');
        }

        AppendNotes(text, s => s);
        return text.ToString();
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        foreach (var line in Header())
        {
            text.Append(line).Append('\n');
        }

        text.Append("\n| figure | ours | anchor (same run) | ratio | where |\n| --- | --- | --- | --- | --- |\n");
        foreach (var row in Rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {row.Figure} | {row.OursText} | {row.AnchorText} | {Ratio(row)} | {Where(row)} |\n");
        }

        AppendNotes(text, s => "- " + s);
        return text.ToString();
    }

    public void Write(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "report.json"), JsonSerializer.Serialize(this, JsonOptions) + "\n");
        File.WriteAllText(Path.Combine(directory, "report.md"), ToMarkdown());
    }

    private void AppendNotes(StringBuilder text, Func<string, string> item)
    {
        if (NotMeasured.Count > 0 || Problems.Count > 0)
        {
            text.Append("\nNot measured in this run:\n");
            foreach (var line in NotMeasured.Concat(Problems))
            {
                text.Append(item(line)).Append('\n');
            }
        }
    }

    private static string Ratio(ReportRow row) => row.Ratio is { } ratio && double.IsFinite(ratio)
        ? ratio.ToString(ratio < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + "x"
        : "";

    private static string Where(ReportRow row) => row.Where == "guest" ? "lab guest" : row.Where;
}
