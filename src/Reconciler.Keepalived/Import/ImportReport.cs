using Reconciler.Keepalived.Parsing;
using Reconciler.Topology.Diagnostics;

namespace Reconciler.Keepalived.Import;

/// <summary>What became of one statement of a keepalived.conf in the topology.</summary>
public enum ImportOutcome
{
    /// <summary>Carried over as keepalived means it.</summary>
    Imported,

    /// <summary>Carried over with a change keepalived makes too, or that the topology needs (a warning says which).</summary>
    Adjusted,

    /// <summary>Not carried over; a warning says why and what to do instead.</summary>
    Dropped,

    /// <summary>Wrong (an error): nothing is imported until it is fixed.</summary>
    Invalid,
}

/// <summary>One statement: its keyword path (<c>vrrp_instance/priority</c>; a value block's lines are
/// <c>virtual_ipaddress/(entry)</c>), where it is, and what became of it, with the finding that says why.</summary>
public sealed record ImportedStatement(string Keyword, SourceLocation Location, ImportOutcome Outcome, string? Reason);

/// <summary>Every statement one node's keepalived reads (its conditional lines selected, its includes expanded).</summary>
public sealed record NodeImportReport(string Node, string File, IReadOnlyList<ImportedStatement> Statements)
{
    public int Count(ImportOutcome outcome) => Statements.Count(s => s.Outcome == outcome);
}

/// <summary>
/// The import report: for each node, each statement imported, adjusted, dropped or invalid, and why. It is read
/// from the statements the importer parsed and the findings at their places: a statement with a warning that it is
/// ignored is dropped, one with another warning adjusted, one with an error invalid, and every other one imported.
/// </summary>
public sealed record ImportReport(IReadOnlyList<NodeImportReport> Nodes)
{
    /// <summary>Findings that say a statement (or part of it) is not carried over.</summary>
    private static readonly HashSet<string> DroppingCodes = new(StringComparer.Ordinal) { "unsupported-keyword", "unsupported-argument", "second-checker", "sync-group-ignored", "route-dropped", "rule-dropped", "address-dropped" };

    /// <summary>Findings about the file rather than a statement's outcome.</summary>
    private static readonly HashSet<string> NotAboutAStatement = new(StringComparer.Ordinal) { "conditional-line" };

    /// <summary>Blocks whose lines are values (addresses, names), not keywords.</summary>
    private static readonly HashSet<string> ValueBlocks = new(StringComparer.Ordinal)
    {
        "virtual_ipaddress", "virtual_ipaddress_excluded", "unicast_peer", "track_interface", "track_script",
        "track_process", "track_file", "track_bfd", "group", "notification_email", "virtual_routes", "virtual_rules",
        "static_ipaddress", "static_routes", "static_rules", "track_group", "virtual_server_group",
    };

    /// <summary>Top-level blocks of keywords whose name is a value block elsewhere.</summary>
    private static readonly HashSet<string> TopLevelKeywordBlocks = new(StringComparer.Ordinal) { "track_file" };

    internal static NodeImportReport For(string node, string file, IReadOnlyList<ConfigStatement>? statements, IReadOnlyList<Diagnostic> diagnostics)
    {
        // The findings on each line, so each statement finds those at its place without a scan of them all.
        var byLine = diagnostics
            .Where(d => d.Location is not null && !NotAboutAStatement.Contains(d.Code))
            .GroupBy(d => (d.Location!.File, d.Location.Line))
            .ToDictionary(g => g.Key, g => g.ToList());
        var lineStatements = new Dictionary<(string, int), List<int>>();
        var report = new List<ImportedStatement>();
        var parents = new List<int>();
        Walk(statements ?? [], "", -1, report, parents, lineStatements);
        var outcomes = report.ToArray();
        foreach (var ((fileName, line), found) in byLine)
        {
            if (!lineStatements.TryGetValue((fileName, line), out var onLine))
            {
                continue;
            }

            foreach (var diagnostic in found)
            {
                // The statement the finding is about: the last one on its line that starts at or before it.
                var index = onLine.LastOrDefault(i => outcomes[i].Location.Column <= diagnostic.Location!.Column, onLine[0]);
                outcomes[index] = Worse(outcomes[index], diagnostic);
            }
        }

        // What a dropped (or invalid) block holds goes with it; parents come before their children.
        for (int i = 0; i < outcomes.Length; i++)
        {
            if (parents[i] >= 0 && outcomes[parents[i]] is { Outcome: ImportOutcome.Dropped or ImportOutcome.Invalid } parent && outcomes[i].Outcome < parent.Outcome)
            {
                outcomes[i] = outcomes[i] with { Outcome = parent.Outcome, Reason = $"in {parent.Keyword} at {parent.Location}, which is {(parent.Outcome == ImportOutcome.Dropped ? "dropped" : "invalid")}" };
            }
        }

        return new NodeImportReport(node, file, outcomes);
    }

    private static void Walk(IReadOnlyList<ConfigStatement> statements, string parent, int parentIndex, List<ImportedStatement> report, List<int> parents, Dictionary<(string, int), List<int>> lineStatements)
    {
        var parentName = parent.Length == 0 ? "" : parent[(parent.LastIndexOf('/') + 1)..];
        foreach (var statement in statements)
        {
            // track_file is a value block in an instance or a sync group, a block of keywords at the top level.
            var name = ValueBlocks.Contains(parentName) && !TopLevelKeywordBlocks.Contains(parent) ? "(entry)" : statement.Name;
            var keyword = parent.Length == 0 ? name : parent + "/" + name;
            var key = (statement.Location.File, statement.Location.Line);
            if (!lineStatements.TryGetValue(key, out var onLine))
            {
                lineStatements[key] = onLine = [];
            }

            int index = report.Count;
            onLine.Add(index);
            report.Add(new ImportedStatement(keyword, statement.Location, ImportOutcome.Imported, null));
            parents.Add(parentIndex);
            if (statement.Block is { } block)
            {
                Walk(block, keyword, index, report, parents, lineStatements);
            }
        }
    }

    /// <summary>A finding at the statement's keyword that drops it drops the statement; one at an argument drops
    /// only that part (<c>label</c> of an address), and the statement is carried over adjusted.</summary>
    private static ImportedStatement Worse(ImportedStatement statement, Diagnostic diagnostic)
    {
        var atKeyword = diagnostic.Location!.Column == statement.Location.Column;
        var outcome = diagnostic.IsError ? ImportOutcome.Invalid
            : DroppingCodes.Contains(diagnostic.Code) && atKeyword ? ImportOutcome.Dropped
            : ImportOutcome.Adjusted;
        return outcome > statement.Outcome ? statement with { Outcome = outcome, Reason = diagnostic.Message } : statement;
    }
}
