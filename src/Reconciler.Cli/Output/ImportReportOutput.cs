using System.Globalization;
using System.Text.Json;
using Reconciler.Keepalived.Import;

namespace Reconciler.Cli.Output;

/// <summary>
/// <c>import keepalived --report</c>: per node, the statements imported, adjusted, dropped and invalid. Text: the
/// counts, every statement not imported as it is (where, what, why), then a table by keyword. <c>--json</c>: every
/// statement.
/// </summary>
internal static class ImportReportOutput
{
    public static void WriteText(TextWriter writer, ImportReport report)
    {
        foreach (var node in report.Nodes)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"node {node.Node} ({node.File}): {node.Statements.Count} statements: {node.Count(ImportOutcome.Imported)} imported, {node.Count(ImportOutcome.Adjusted)} adjusted, {node.Count(ImportOutcome.Dropped)} dropped, {node.Count(ImportOutcome.Invalid)} invalid"));
            foreach (var statement in node.Statements.Where(s => s.Outcome != ImportOutcome.Imported))
            {
                writer.WriteLine($"  {Word(statement.Outcome),-8} {statement.Location}: {statement.Keyword}: {statement.Reason}");
            }
        }

        var byKeyword = report.Nodes
            .SelectMany(n => n.Statements)
            .GroupBy(s => s.Keyword, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        if (byKeyword.Count == 0)
        {
            return;
        }

        int width = Math.Max("keyword".Length, byKeyword.Max(g => g.Key.Length));
        writer.WriteLine();
        writer.WriteLine($"{"keyword".PadRight(width)}  imported  adjusted  dropped  invalid");
        foreach (var group in byKeyword)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{group.Key.PadRight(width)}  {Count(group, ImportOutcome.Imported),8}  {Count(group, ImportOutcome.Adjusted),8}  {Count(group, ImportOutcome.Dropped),7}  {Count(group, ImportOutcome.Invalid),7}"));
        }
    }

    public static string Json(ImportReport report) => JsonSerializer.Serialize(
        new ImportReportDocument([.. report.Nodes.Select(n => new NodeReportDocument(
            n.Node,
            n.File,
            new OutcomeCounts(n.Count(ImportOutcome.Imported), n.Count(ImportOutcome.Adjusted), n.Count(ImportOutcome.Dropped), n.Count(ImportOutcome.Invalid)),
            [.. n.Statements.Select(s => new StatementDocument(s.Keyword, s.Location.File, s.Location.Line, s.Location.Column, Word(s.Outcome), s.Reason))]))]),
        CliJsonContext.Default.ImportReportDocument);

    private static int Count(IEnumerable<ImportedStatement> statements, ImportOutcome outcome) => statements.Count(s => s.Outcome == outcome);

    private static string Word(ImportOutcome outcome) => outcome switch
    {
        ImportOutcome.Imported => "imported",
        ImportOutcome.Adjusted => "adjusted",
        ImportOutcome.Dropped => "dropped",
        _ => "invalid",
    };
}

internal sealed record ImportReportDocument(IReadOnlyList<NodeReportDocument> Nodes);

internal sealed record NodeReportDocument(string Node, string File, OutcomeCounts Counts, IReadOnlyList<StatementDocument> Statements);

internal sealed record OutcomeCounts(int Imported, int Adjusted, int Dropped, int Invalid);

internal sealed record StatementDocument(string Keyword, string File, int Line, int Column, string Outcome, string? Reason);
