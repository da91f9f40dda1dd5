using Reconciler.GitSource.Audit;
using Reconciler.GitSource.Source;

namespace Reconciler.GitSource.History;

/// <summary>
/// The topology path's git log merged with one node's audit journal: for each commit that touched the topology,
/// who made it, whether its signature was verified, and what this node did with it. <see cref="Rows"/> are newest
/// first and at most <c>maxCount</c>. A commit the journal knows but the branch cannot reach (a pinned revision off
/// the branch, history rewritten by a force-push) is a row with <see cref="HistoryRow.OnBranch"/> false, placed by
/// when the node last dealt with it; a journaled commit the branch does reach but the log left out (older than the
/// rows shown, or one that did not touch the path) is not "off the branch" and gets no row.
/// </summary>
public sealed record HistoryReport(string Node, string Path, IReadOnlyList<HistoryRow> Rows, int UnreadableJournalLines)
{
    /// <summary>Merges <paramref name="log"/> (newest first) with <paramref name="journal"/> for <paramref name="node"/>.
    /// <paramref name="isOnBranch"/> says whether the followed branch reaches a commit (null: no journaled commit
    /// outside <paramref name="log"/> is reachable).</summary>
    public static HistoryReport Build(
        string node,
        string path,
        IReadOnlyList<CommitInfo> log,
        AuditReadResult journal,
        int maxCount = int.MaxValue,
        Func<string, bool>? isOnBranch = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(journal);
        var byCommit = journal.Entries
            .Where(e => e.Node == node)
            .GroupBy(e => e.Commit, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<AuditEntry>)g.OrderBy(e => e.Time).ToList(), StringComparer.OrdinalIgnoreCase);
        var onBranch = log.Select(commit =>
        {
            var entries = byCommit.GetValueOrDefault(commit.Sha) ?? [];
            return new HistoryRow(commit.Sha, $"{commit.Author} <{commit.AuthorEmail}>", commit.CommitTime, commit.Subject, true, entries)
            {
                Committer = $"{commit.Committer} <{commit.CommitterEmail}>",
                Signer = entries.LastOrDefault(e => e.Signer is not null)?.Signer,
            };
        }).ToList();
        var seen = log.Select(c => c.Sha).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var offBranch = byCommit
            .Where(p => !seen.Contains(p.Key) && !(isOnBranch?.Invoke(p.Key) ?? false))
            .Select(p =>
            {
                var last = p.Value[^1];
                return new HistoryRow(p.Key, last.Author, last.CommitTime, last.Subject, false, p.Value)
                {
                    Committer = last.Committer,
                    Signer = p.Value.LastOrDefault(e => e.Signer is not null)?.Signer,
                };
            })
            .OrderByDescending(r => r.Entries[^1].Time)
            .ToList();

        return new HistoryReport(node, path, [.. Merge(onBranch, offBranch).Take(maxCount)], journal.SkippedLines);
    }

    /// <summary>The branch's rows in git's order, each off-branch row before the first branch row the node dealt
    /// with (or, never seen, was committed) earlier.</summary>
    private static IEnumerable<HistoryRow> Merge(List<HistoryRow> onBranch, List<HistoryRow> offBranch)
    {
        var pending = new Queue<HistoryRow>(offBranch);
        foreach (var row in onBranch)
        {
            var when = row.Latest?.Time ?? row.CommitTime;
            while (pending.Count > 0 && pending.Peek().Entries[^1].Time > when)
            {
                yield return pending.Dequeue();
            }

            yield return row;
        }

        foreach (var row in pending)
        {
            yield return row;
        }
    }
}

/// <summary>One commit and this node's journal entries for it (oldest first): who authored it and committed it
/// (<c>Name &lt;email&gt;</c>) and, when the node verified its signature, who signed it.</summary>
public sealed record HistoryRow(
    string Commit,
    string? Author,
    DateTimeOffset? CommitTime,
    string? Subject,
    bool OnBranch,
    IReadOnlyList<AuditEntry> Entries)
{
    /// <summary><c>Name &lt;email&gt;</c> of the committer.</summary>
    public string? Committer { get; init; }

    /// <summary>The signer the node verified (an allowed-signers principal, an OpenPGP fingerprint); null when no
    /// signature was checked.</summary>
    public string? Signer { get; init; }

    /// <summary>The last thing the node did with the commit, or null when it never saw it (superseded while it was
    /// down, or not yet fetched).</summary>
    public AuditEntry? Latest => Entries.Count == 0 ? null : Entries[^1];

    /// <summary>When the commit was first applied successfully on the node.</summary>
    public DateTimeOffset? AppliedAt => Entries.FirstOrDefault(e => e.Outcome == AuditOutcome.Applied)?.Time;

    /// <summary>"applied", "rejected", "skipped", "failed" or "not seen".</summary>
    public string Status => Latest is null ? "not seen" : Latest.Outcome.ToString().ToLowerInvariant();
}
