using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Reconciler.GitSource.Diff;

/// <summary>How <see cref="PullRequestComment"/> renders.</summary>
/// <param name="MaxCharacters">The cap: a longer comment is cut at a line boundary with a "Truncated" note.</param>
/// <param name="ServerLimit">More real servers than this leaving service at once is called out (<see cref="DiffRisks"/>).</param>
/// <param name="Key">Told apart in the hidden marker, for a repository that posts one comment per topology.</param>
public sealed partial record PullRequestCommentOptions(
    int MaxCharacters = PullRequestCommentOptions.DefaultMaxCharacters,
    int ServerLimit = DiffRisks.DefaultServerLimit,
    string? Key = null)
{
    /// <summary>GitHub's limit on a comment's body (GitLab's is 1,000,000).</summary>
    public const int GitHubCommentLimit = 65_536;

    /// <summary>The default cap: under GitHub's limit with room for a CI job to add a line of its own.</summary>
    public const int DefaultMaxCharacters = 60_000;

    /// <summary>The smallest cap: the head of the comment (marker, title, validity, summary) must fit.</summary>
    public const int MinMaxCharacters = 2_000;

    /// <summary>A key is letters, digits and <c>._/:-</c>, without <c>--</c> (it goes into an HTML comment).</summary>
    public static bool IsValidKey(string key) => KeyPattern().IsMatch(key) && !key.Contains("--", StringComparison.Ordinal);

    /// <summary>The first line of every comment, which a CI job searches for to update its comment rather than add
    /// one: <c>&lt;!-- reconciler-diff --&gt;</c>, or <c>&lt;!-- reconciler-diff:KEY --&gt;</c>.</summary>
    public string Marker => Key is null ? "<!-- reconciler-diff -->" : $"<!-- reconciler-diff:{Key} -->";

    [GeneratedRegex("^[A-Za-z0-9._/:-]{1,100}$")]
    private static partial Regex KeyPattern();
}

/// <summary>
/// The diff as a comment ready to post on a pull request (GitHub and GitLab Markdown): a hidden marker, the title,
/// whether the new revision is valid with its findings (errors first, file:line:column), one line per node in
/// Terraform's words, the risks, then the changes of the topology and of each node in collapsed
/// <c>&lt;details&gt;</c> sections. Cut at a line boundary below the cap, closing what is open, with a note.
/// </summary>
public static class PullRequestComment
{
    /// <summary>Risk lines listed before saying how many more there are.</summary>
    public const int MaxRiskLines = 50;

    public static string Render(TopologyDiff diff, PullRequestCommentOptions options)
    {
        ArgumentNullException.ThrowIfNull(diff);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxCharacters, PullRequestCommentOptions.MinMaxCharacters);
        if (options.Key is { } key && !PullRequestCommentOptions.IsValidKey(key))
        {
            throw new ArgumentException($"comment key '{key}': use letters, digits and ._/:- (no '--')", nameof(options));
        }

        var lines = new List<string> { options.Marker, $"### Reconciler diff `{diff.OldRevision}` → `{diff.NewRevision}`", "" };
        if (diff.NewIsValid)
        {
            var warnings = DiffLines.FindingCounts(diff, withErrors: false);
            lines.Add($"✅ `{diff.NewRevision}` is valid{(warnings.Length > 0 ? $" ({warnings})" : "")}.");
        }
        else
        {
            lines.Add($"❌ **`{diff.NewRevision}` is invalid**: {DiffLines.FindingCounts(diff, withErrors: true)}. Agents will refuse it and keep their last good topology.");
        }

        lines.Add("");
        var findings = DiffLines.Findings(diff);
        if (findings.Count > 0)
        {
            lines.Add("```text");
            lines.AddRange(findings);
            lines.Add("```");
            lines.Add("");
        }

        if (diff.NewIsValid)
        {
            AppendChanges(diff, options, lines);
        }

        return Truncate(lines, diff, options.MaxCharacters);
    }

    private static void AppendChanges(TopologyDiff diff, PullRequestCommentOptions options, List<string> lines)
    {
        if (!diff.OldIsValid)
        {
            lines.Add($"`{diff.OldRevision}` has no valid topology: compared with an empty one.");
            lines.Add("");
        }

        if (!diff.HasChanges)
        {
            lines.Add("No changes.");
            return;
        }

        lines.AddRange(diff.Nodes.Select(n => $"- **{Escape(n.Node)}**: {(n.HasChanges ? ChangeCounts.Of(n).ToString() : "no changes")}"));
        lines.Add("");
        var risks = DiffRisks.Find(diff, options.ServerLimit);
        if (risks.Count > 0)
        {
            lines.Add($"#### ⚠️ {DiffLines.Plural(risks.Count, "risk")} to review");
            lines.Add("");
            lines.AddRange(risks.Take(MaxRiskLines).Select(r => $"- ⚠️ {Escape(r.Message)}"));
            if (risks.Count > MaxRiskLines)
            {
                lines.Add($"- ... and {risks.Count - MaxRiskLines} more");
            }

            lines.Add("");
        }

        if (diff.Entries.Count > 0)
        {
            AppendDetails($"Topology: {DiffLines.TopologyCounts(diff)}", diff.Entries, lines);
        }

        foreach (var node in diff.Nodes.Where(n => n.HasChanges))
        {
            AppendDetails($"<b>{WebUtility.HtmlEncode(node.Node)}</b>: {ChangeCounts.Of(node)}", node.Changes, lines);
        }

        lines.Add("<sub>Per node: the desired state, without runtime health or VRRP role.</sub>");
    }

    /// <summary>A collapsed section: the blank lines around the fence let GitHub and GitLab render it inside.</summary>
    private static void AppendDetails(string summary, IEnumerable<DiffEntry> entries, List<string> lines)
    {
        lines.Add($"<details><summary>{summary}</summary>");
        lines.Add("");
        lines.Add("```diff");
        DiffLines.AppendEntries(entries, lines);
        lines.Add("```");
        lines.Add("");
        lines.Add("</details>");
        lines.Add("");
    }

    /// <summary>Names and messages shown as themselves: what would start code, emphasis or HTML is escaped (an
    /// underscore only at a word's edge, where it could emphasise; <c>VI_1</c> stays as it is).</summary>
    private static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var edge = i == 0 || i == text.Length - 1 || !char.IsLetterOrDigit(text[i - 1]) || !char.IsLetterOrDigit(text[i + 1]);
            if (c is '\\' or '`' or '*' or '<' || (c == '_' && edge))
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    /// <summary>Joins lines; when longer than <paramref name="max"/>, cuts at a line boundary, closes an open code
    /// block and an open <c>&lt;details&gt;</c>, and ends with a note saying how much was left out.</summary>
    private static string Truncate(List<string> lines, TopologyDiff diff, int max)
    {
        var full = string.Join('\n', lines).TrimEnd() + "\n";
        if (full.Length <= max)
        {
            return full;
        }

        // The note and the closing lines take under 600 characters (revisions are short, the numbers small).
        const int reserve = 600;
        var kept = new StringBuilder();
        var fenced = false;
        var details = false;
        var count = 0;
        foreach (var line in lines)
        {
            if (kept.Length + line.Length + 1 > max - reserve)
            {
                break;
            }

            kept.Append(line).Append('\n');
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
            }
            else if (!fenced && line.StartsWith("<details>", StringComparison.Ordinal))
            {
                details = true;
            }
            else if (!fenced && line.StartsWith("</details>", StringComparison.Ordinal))
            {
                details = false;
            }

            count++;
        }

        if (fenced)
        {
            kept.Append("```\n");
        }

        if (details)
        {
            kept.Append("\n</details>\n");
        }

        kept.Append(CultureInfo.InvariantCulture, $"\n> ⚠️ **Truncated**: {lines.Count - count:N0} of {lines.Count:N0} lines left out to keep this comment under {max:N0} characters (GitHub's limit is {PullRequestCommentOptions.GitHubCommentLimit:N0}). ");
        kept.Append(CultureInfo.InvariantCulture, $"`reconciler diff {diff.OldRevision} {diff.NewRevision}` prints the whole diff (`--format json` for scripts).\n");
        return kept.ToString();
    }
}
