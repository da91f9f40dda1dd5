using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Reconciler.GitSource.Audit;

namespace Reconciler.GitSource.History;

/// <summary>Text (a fixed-width table, one row a commit, reasons indented below) and JSON forms of a
/// <see cref="HistoryReport"/>.</summary>
public static class HistoryRenderer
{
    private const int SubjectWidth = 40;

    public static string RenderText(HistoryReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var header = new[] { "COMMIT", "COMMITTED", "AUTHOR", "SUBJECT", "STATUS", "WHEN", "RESULT" };
        var rows = report.Rows.Select(Cells).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r.Cells[i].Length))).ToArray();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"History of {(report.Path.Length == 0 ? "/" : report.Path)} on node {report.Node}: {report.Rows.Count} commit(s)\n");
        if (report.UnreadableJournalLines > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"({report.UnreadableJournalLines} unreadable journal line(s) skipped)\n");
        }

        text.Append('\n');
        AppendRow(text, header, widths);
        foreach (var (cells, details) in rows)
        {
            AppendRow(text, cells, widths);
            foreach (var detail in details)
            {
                text.Append("    ").Append(detail).Append('\n');
            }
        }

        return text.ToString();
    }

    private static void AppendRow(StringBuilder text, IReadOnlyList<string> cells, int[] widths)
    {
        var line = new StringBuilder();
        for (var i = 0; i < cells.Count; i++)
        {
            line.Append(i == cells.Count - 1 ? cells[i] : cells[i].PadRight(widths[i] + 2));
        }

        text.Append(line.ToString().TrimEnd()).Append('\n');
    }

    private static (string[] Cells, List<string> Details) Cells(HistoryRow row)
    {
        var latest = row.Latest;
        var when = (latest?.Outcome == AuditOutcome.Applied ? row.AppliedAt : latest?.Time) is { } time ? Format(time) : "-";
        var result = latest is null ? "" : latest.Result ?? (latest.Plan is { } plan ? $"+{plan.Adds} ~{plan.Changes} -{plan.Destroys}" : "");
        if (latest?.Outcome is AuditOutcome.Applied or AuditOutcome.Failed)
        {
            result = $"{result} ({latest.OperationsApplied} ops{(latest.OperationsFailed > 0 ? $", {latest.OperationsFailed} failed" : "")})".Trim();
        }

        var subject = row.Subject ?? "";
        if (subject.Length > SubjectWidth)
        {
            subject = subject[..(SubjectWidth - 1)] + "…";
        }

        var author = row.Author ?? "";
        var lt = author.IndexOf(" <", StringComparison.Ordinal);
        if (lt > 0)
        {
            author = author[..lt];
        }

        var details = new List<string> { Who(row) };
        if (!row.OnBranch)
        {
            details.Add("(not on the followed branch's topology history)");
        }

        if (latest is not null && latest.Outcome != AuditOutcome.Applied)
        {
            details.AddRange(latest.Reasons.Select(r => "- " + r));
        }

        if (row.Entries.Count > 1)
        {
            details.Add("earlier: " + string.Join(", ", row.Entries.Take(row.Entries.Count - 1).Select(e => $"{e.Outcome.ToString().ToLowerInvariant()} {Format(e.Time)}")));
        }

        return (
            [row.Commit[..Math.Min(12, row.Commit.Length)], row.CommitTime is { } t ? Format(t) : "-", author, subject, row.Status, when, result],
            details);
    }

    /// <summary>Who changed the topology and whether the node verified the signature:
    /// <c>by Alice &lt;a@x&gt;, committed by CI &lt;ci@x&gt;, signature verified: alice@x</c>.</summary>
    private static string Who(HistoryRow row)
    {
        var parts = new List<string>();
        if (row.Author is { } author)
        {
            parts.Add("by " + author);
        }

        if (row.Committer is { } committer)
        {
            parts.Add("committed by " + committer);
        }

        parts.Add(row.Signer is { } signer ? "signature verified: " + signer : "signature not checked");
        return string.Join(", ", parts);
    }

    private static string Format(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string RenderJson(HistoryReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return JsonSerializer.Serialize(HistoryDocument.Of(report), Json.HistoryDocument);
    }

    private static readonly GitSourceJsonContext Json = new(CreateJsonOptions());

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        AuditJournal.AddEnumConverters(options);
        return options;
    }
}
