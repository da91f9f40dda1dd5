using Reconciler.GitSource.Audit;
using Reconciler.GitSource.Source;

namespace Reconciler.GitSource.History;

/// <summary>
/// The topology path's git log merged with one node's audit journal: for each commit that touched the topology,
/// what this node did with it. <see cref="Rows"/> are newest first; commits the journal knows but the log does not
/// (a pinned revision off the branch, history rewritten by a force push) come at the end with
/// <see cref="HistoryRow.OnBranch"/> false.
/// </summary>
public sealed record HistoryReport(string Node, string Path, IReadOnlyList<HistoryRow> Rows, int UnreadableJournalLines)
{
    /// <summary>Merges <paramref name="log"/> (newest first) with <paramref name="journal"/> for <paramref name="node"/>.</summary>
    public static HistoryReport Build(string node, string path, IReadOnlyList<CommitInfo> log, AuditReadResult journal)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(journal);
        var byCommit = journal.Entries
            .Where(e => e.Node == node)
            .GroupBy(e => e.Commit, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<AuditEntry>)g.OrderBy(e => e.Time).ToList(), StringComparer.OrdinalIgnoreCase);
        var rows = new List<HistoryRow>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var commit in log)
        {
            seen.Add(commit.Sha);
            var entries = byCommit.GetValueOrDefault(commit.Sha) ?? [];
            rows.Add(new HistoryRow(commit.Sha, commit.Author, commit.CommitTime, commit.Subject, true, entries));
        }

        foreach (var (sha, entries) in byCommit.Where(p => !seen.Contains(p.Key)).OrderByDescending(p => p.Value[^1].Time))
        {
            var last = entries[^1];
            rows.Add(new HistoryRow(sha, last.Author, null, last.Subject, false, entries));
        }

        return new HistoryReport(node, path, rows, journal.SkippedLines);
    }
}

/// <summary>One commit and this node's journal entries for it (oldest first).</summary>
public sealed record HistoryRow(
    string Commit,
    string? Author,
    DateTimeOffset? CommitTime,
    string? Subject,
    bool OnBranch,
    IReadOnlyList<AuditEntry> Entries)
{
    /// <summary>The last thing the node did with the commit, or null when it never saw it (superseded while it was
    /// down, or not yet fetched).</summary>
    public AuditEntry? Latest => Entries.Count == 0 ? null : Entries[^1];

    /// <summary>When the commit was first applied successfully on the node.</summary>
    public DateTimeOffset? AppliedAt => Entries.FirstOrDefault(e => e.Outcome == AuditOutcome.Applied)?.Time;

    /// <summary>"applied", "rejected", "skipped", "failed" or "not seen".</summary>
    public string Status => Latest is null ? "not seen" : Latest.Outcome.ToString().ToLowerInvariant();
}
