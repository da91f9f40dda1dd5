using System.Text.Json;
using System.Text.Json.Serialization;
using Reconciler.Planning.Serialization;

namespace Reconciler.GitSource.Diff;

/// <summary>
/// The three forms of a <see cref="TopologyDiff"/>: text for a terminal (<c>diff</c>, <c>--format text</c>), a pull
/// request comment (<c>--format markdown</c>, <see cref="PullRequestComment"/>) and JSON for scripts
/// (<c>--format json</c>). Text and Markdown say the same things in the same order: the findings on the new
/// revision (errors first, with file:line:column), one line per node in Terraform's words, the risks, then the
/// changes of the topology and of each node.
/// </summary>
public static class TopologyDiffRenderer
{
    /// <summary>The warnings listed before saying how many more there are ('reconciler validate' lists them all).</summary>
    public const int MaxWarningLines = DiffLines.MaxWarningLines;

    public static string RenderText(TopologyDiff diff, int serverLimit = DiffRisks.DefaultServerLimit)
    {
        ArgumentNullException.ThrowIfNull(diff);
        var lines = new List<string> { $"Topology diff {diff.OldRevision} -> {diff.NewRevision}" };
        if (diff.NewIsValid)
        {
            var warnings = DiffLines.FindingCounts(diff, withErrors: false);
            lines.Add($"{diff.NewRevision} is valid{(warnings.Length > 0 ? $" ({warnings})" : "")}.");
        }
        else
        {
            lines.Add($"{diff.NewRevision} is invalid: {DiffLines.FindingCounts(diff, withErrors: true)}. Agents will refuse it and keep their last good topology.");
        }

        lines.AddRange(DiffLines.Findings(diff));
        if (!diff.NewIsValid)
        {
            return Join(lines);
        }

        lines.Add("");
        if (!diff.OldIsValid)
        {
            lines.Add($"{diff.OldRevision} has no valid topology: compared with an empty one.");
        }

        if (!diff.HasChanges)
        {
            lines.Add("No changes.");
            return Join(lines);
        }

        foreach (var node in diff.Nodes)
        {
            lines.Add(node.HasChanges ? $"{node.Node}: {ChangeCounts.Of(node)}" : $"{node.Node}: no changes");
        }

        var risks = DiffRisks.Find(diff, serverLimit);
        if (risks.Count > 0)
        {
            lines.Add("");
            lines.Add("Risks:");
            lines.AddRange(risks.Select(r => $"  ! {r.Message}"));
        }

        if (diff.Entries.Count > 0)
        {
            lines.Add("");
            lines.Add($"Topology: {DiffLines.TopologyCounts(diff)}");
            DiffLines.AppendEntries(diff.Entries, lines);
        }

        foreach (var node in diff.Nodes.Where(n => n.HasChanges))
        {
            lines.Add("");
            lines.Add($"Node {node.Node} (desired state, without runtime health or VRRP role): {ChangeCounts.Of(node)}");
            DiffLines.AppendEntries(node.Changes, lines);
        }

        return Join(lines);
    }

    /// <summary>The pull request comment (<see cref="PullRequestComment"/>).</summary>
    public static string RenderMarkdown(TopologyDiff diff, PullRequestCommentOptions? options = null) =>
        PullRequestComment.Render(diff, options ?? new PullRequestCommentOptions());

    private static string Join(List<string> lines) => string.Join('\n', lines).TrimEnd() + "\n";

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
