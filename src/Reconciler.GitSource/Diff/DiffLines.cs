using System.Globalization;

namespace Reconciler.GitSource.Diff;

/// <summary>The pieces the text and Markdown forms share: the findings on the new revision and the change tree
/// (<c>+</c> added, <c>-</c> removed, <c>~</c> changed, fields as <c>field: old -> new</c>).</summary>
internal static class DiffLines
{
    /// <summary>The warnings listed before saying how many more there are.</summary>
    public const int MaxWarningLines = 20;

    /// <summary>Errors, all of them; then warnings, as many as leave room for the diff (a topology can warn once per
    /// service, and output that is all warnings hides the change it is about).</summary>
    public static List<string> Findings(TopologyDiff diff)
    {
        var errors = diff.NewDiagnostics.Where(d => d.IsError).Select(d => d.ToString());
        var warnings = diff.NewDiagnostics.Where(d => !d.IsError).ToList();
        var lines = errors.Concat(warnings.Take(MaxWarningLines).Select(d => d.ToString())).ToList();
        if (warnings.Count > MaxWarningLines)
        {
            lines.Add($"... and {Plural(warnings.Count - MaxWarningLines, "more warning")} ('reconciler validate' lists them all)");
        }

        return lines;
    }

    /// <summary>"2 errors, 1 warning", or "1 warning", or "".</summary>
    public static string FindingCounts(TopologyDiff diff, bool withErrors)
    {
        var errors = diff.NewDiagnostics.Count(d => d.IsError);
        var warnings = diff.NewDiagnostics.Count - errors;
        var parts = new List<string>();
        if (withErrors)
        {
            parts.Add(Plural(errors, "error"));
        }

        if (warnings > 0)
        {
            parts.Add(Plural(warnings, "warning"));
        }

        return string.Join(", ", parts);
    }

    public static string TopologyCounts(TopologyDiff diff) =>
        string.Create(CultureInfo.InvariantCulture, $"{diff.Added} added, {diff.Changed} changed, {diff.Removed} removed");

    public static void AppendEntries(IEnumerable<DiffEntry> entries, List<string> lines)
    {
        foreach (var entry in entries)
        {
            AppendEntry(entry, 0, lines);
        }
    }

    private static void AppendEntry(DiffEntry entry, int depth, List<string> lines)
    {
        var sign = entry.Action switch
        {
            DiffAction.Added => '+',
            DiffAction.Removed => '-',
            _ => '~',
        };
        var indent = new string(' ', 1 + (depth * 2));
        var detail = entry.Detail is null ? "" : $" ({entry.Detail})";
        lines.Add($"{sign}{indent}{KindText(entry.Kind)} {entry.Name}{detail}");
        foreach (var change in entry.Changes)
        {
            lines.Add($" {indent}    {change}");
        }

        foreach (var child in entry.Children)
        {
            AppendEntry(child, depth + 1, lines);
        }
    }

    private static string KindText(string kind) => kind switch
    {
        "vrrpInstance" => "vrrp instance",
        "vrrpSyncGroup" => "vrrp sync group",
        "mail" => "mail alerts",
        "realServer" => "real server",
        "ipvsService" => "ipvs service",
        _ => kind,
    };

    public static string Plural(int count, string noun) =>
        count == 1 ? $"1 {noun}" : string.Create(CultureInfo.InvariantCulture, $"{count} {noun}s");
}
