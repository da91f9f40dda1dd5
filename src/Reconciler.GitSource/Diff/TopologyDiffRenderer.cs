using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Reconciler.Planning.Serialization;
using Reconciler.Topology.Diagnostics;

namespace Reconciler.GitSource.Diff;

/// <summary>
/// Markdown for a pull request comment (a <c>diff</c> code block: <c>+</c> added, <c>-</c> removed, <c>~</c>
/// changed, fields as <c>field: old -> new</c>), cut at a line boundary with a note when longer than the comment
/// limit; and a JSON form.
/// </summary>
public static class TopologyDiffRenderer
{
    /// <summary>GitHub's comment limit.</summary>
    public const int GitHubCommentLimit = 65_535;

    public static string RenderMarkdown(TopologyDiff diff, int maxCharacters = GitHubCommentLimit)
    {
        ArgumentNullException.ThrowIfNull(diff);
        var lines = new List<string> { $"### Topology diff `{diff.OldRevision}` → `{diff.NewRevision}`", "" };
        AppendValidity(diff, lines);
        if (!diff.NewIsValid)
        {
            return Truncate(lines, maxCharacters);
        }

        if (!diff.OldIsValid)
        {
            lines.Add($"`{diff.OldRevision}` has no valid topology: compared with an empty one.");
            lines.Add("");
        }

        if (!diff.HasChanges)
        {
            lines.Add("No changes.");
            return Truncate(lines, maxCharacters);
        }

        lines.Add($"**Topology:** {diff.Added} added, {diff.Changed} changed, {diff.Removed} removed.");
        lines.Add("");
        if (diff.Entries.Count > 0)
        {
            lines.Add("```diff");
            foreach (var entry in diff.Entries)
            {
                AppendEntry(entry, 0, lines);
            }

            lines.Add("```");
            lines.Add("");
        }

        foreach (var move in diff.VipMoves)
        {
            lines.Add($"- VIP `{move.Address}` moves from `{move.From}` to `{move.To}`");
        }

        if (diff.VipMoves.Count > 0)
        {
            lines.Add("");
        }

        lines.Add("#### Per node (desired state without runtime health or VRRP role)");
        lines.Add("");
        foreach (var node in diff.Nodes)
        {
            if (!node.HasChanges)
            {
                lines.Add($"- **{node.Node}**: no change");
                continue;
            }

            var all = node.Changes.SelectMany(c => c.Children.Prepend(c)).ToList();
            var add = all.Count(c => c.Action == DiffAction.Added);
            var change = all.Count(c => c.Action == DiffAction.Changed && c.Changes.Count > 0);
            var remove = all.Count(c => c.Action == DiffAction.Removed);
            lines.Add($"- **{node.Node}**: {add} to add, {change} to change, {remove} to remove");
            lines.Add("");
            lines.Add("```diff");
            foreach (var entry in node.Changes)
            {
                AppendEntry(entry, 0, lines);
            }

            lines.Add("```");
            lines.Add("");
        }

        return Truncate(lines, maxCharacters);
    }

    private static void AppendValidity(TopologyDiff diff, List<string> lines)
    {
        var errors = diff.NewDiagnostics.Where(d => d.IsError).ToList();
        var warnings = diff.NewDiagnostics.Where(d => !d.IsError).ToList();
        if (errors.Count > 0 || !diff.NewIsValid)
        {
            lines.Add($"❌ **`{diff.NewRevision}` is invalid**: {Plural(errors.Count, "error")}{(warnings.Count > 0 ? ", " + Plural(warnings.Count, "warning") : "")}. Agents will refuse it and keep their last good topology.");
        }
        else
        {
            lines.Add($"✅ `{diff.NewRevision}` is valid{(warnings.Count > 0 ? $" ({Plural(warnings.Count, "warning")})" : "")}.");
        }

        lines.Add("");
        if (diff.NewDiagnostics.Count > 0)
        {
            // Errors first, all of them; then warnings, as many as leave room for the diff (a topology can warn
            // once per service, and a comment that is all warnings hides the change it is about).
            lines.Add("```text");
            lines.AddRange(errors.Select(d => d.ToString()));
            lines.AddRange(warnings.Take(MaxWarningLines).Select(d => d.ToString()));
            if (warnings.Count > MaxWarningLines)
            {
                lines.Add($"... and {Plural(warnings.Count - MaxWarningLines, "more warning")} ('reconciler validate' lists them all)");
            }

            lines.Add("```");
            lines.Add("");
        }
    }

    /// <summary>The warnings a comment lists before it says how many more there are.</summary>
    public const int MaxWarningLines = 20;

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

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
        "realServer" => "real server",
        "ipvsService" => "ipvs service",
        _ => kind,
    };

    /// <summary>Joins lines; when longer than <paramref name="max"/>, cuts at a line boundary, closes an open code
    /// block and adds a note saying how much was left out.</summary>
    private static string Truncate(List<string> lines, int max)
    {
        var full = string.Join('\n', lines).TrimEnd() + "\n";
        if (full.Length <= max)
        {
            return full;
        }

        var kept = new StringBuilder();
        var open = false;
        var count = 0;
        const int reserve = 400;
        foreach (var line in lines)
        {
            if (kept.Length + line.Length + 1 > max - reserve)
            {
                break;
            }

            kept.Append(line).Append('\n');
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                open = !open;
            }

            count++;
        }

        if (open)
        {
            kept.Append("```\n");
        }

        kept.Append(CultureInfo.InvariantCulture, $"\n> ⚠️ Truncated: {lines.Count - count} of {lines.Count} lines left out to fit a {max}-character comment. Run `reconciler diff --json` for the full diff.\n");
        return kept.ToString();
    }

    public static string RenderJson(TopologyDiff diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        return JsonSerializer.Serialize(TopologyDiffDocument.Of(diff), Json.TopologyDiffDocument);
    }

    private static readonly GitSourceJsonContext Json = new(CreateJsonOptions());

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(new KebabCaseEnumConverter<DiffAction>());
        return options;
    }
}
