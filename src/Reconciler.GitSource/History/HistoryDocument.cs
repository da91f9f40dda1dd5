using Reconciler.GitSource.Audit;

namespace Reconciler.GitSource.History;

/// <summary>The JSON form of a <see cref="HistoryReport"/> (<c>history --json</c>): the report and one
/// <see cref="HistoryCommit"/> a row, in this property order.</summary>
internal sealed record HistoryDocument(string Node, string Path, int UnreadableJournalLines, IReadOnlyList<HistoryCommit> Commits)
{
    public static HistoryDocument Of(HistoryReport report) => new(
        report.Node,
        report.Path,
        report.UnreadableJournalLines,
        [.. report.Rows.Select(HistoryCommit.Of)]);
}

/// <summary>One row of <see cref="HistoryDocument"/>: the commit, who made it, and the node's journal entries for it.</summary>
internal sealed record HistoryCommit(
    string Commit,
    string? Author,
    string? Committer,
    string? Signer,
    DateTimeOffset? CommitTime,
    string? Subject,
    bool OnBranch,
    string Status,
    DateTimeOffset? AppliedAt,
    IReadOnlyList<AuditEntry> Entries)
{
    public static HistoryCommit Of(HistoryRow row) => new(
        row.Commit, row.Author, row.Committer, row.Signer, row.CommitTime, row.Subject, row.OnBranch, row.Status, row.AppliedAt, row.Entries);
}
