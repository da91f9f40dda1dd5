using Reconciler.GitSource.Source;

namespace Reconciler.GitSource.Audit;

public enum AuditOutcome
{
    /// <summary>The commit's plan was executed on this node.</summary>
    Applied,

    /// <summary>The commit was refused (invalid, unsigned, past the safety limit): nothing applied.</summary>
    Rejected,

    /// <summary>The commit was seen but not applied (superseded, no changes for this node, paused).</summary>
    Skipped,

    /// <summary>Applying the commit's plan failed (some or all steps).</summary>
    Failed,
}

/// <summary>Terraform-style counts of the plan executed for the commit.</summary>
public sealed record AuditPlanSummary(int Adds, int Changes, int Destroys, int Drift);

/// <summary>One line of the audit journal: which node did what with which commit, why, and who made that commit:
/// <paramref name="Author"/> and <paramref name="Committer"/> (<c>Name &lt;email&gt;</c>), <paramref name="CommitTime"/>,
/// and <paramref name="Signer"/>, the signer whose signature the node verified (null when none was checked).
/// <paramref name="Rejection"/> says which check refused a rejected commit. Entries written before the last three
/// existed read with them null.</summary>
public sealed record AuditEntry(
    DateTimeOffset Time,
    string Node,
    string Commit,
    string? Author,
    string? Committer,
    string? Subject,
    AuditOutcome Outcome,
    IReadOnlyList<string> Reasons,
    AuditPlanSummary? Plan,
    int OperationsApplied,
    int OperationsFailed,
    string? Result,
    RejectionKind? Rejection = null,
    DateTimeOffset? CommitTime = null,
    string? Signer = null)
{
    /// <summary>An entry about <paramref name="commit"/>, its metadata filled in.</summary>
    public static AuditEntry For(
        DateTimeOffset time,
        string node,
        CommitInfo commit,
        AuditOutcome outcome,
        IReadOnlyList<string>? reasons = null,
        AuditPlanSummary? plan = null,
        int operationsApplied = 0,
        int operationsFailed = 0,
        string? result = null,
        RejectionKind? rejection = null)
    {
        ArgumentNullException.ThrowIfNull(commit);
        return new AuditEntry(
            time,
            node,
            commit.Sha,
            $"{commit.Author} <{commit.AuthorEmail}>",
            $"{commit.Committer} <{commit.CommitterEmail}>",
            commit.Subject,
            outcome,
            reasons ?? [],
            plan,
            operationsApplied,
            operationsFailed,
            result,
            rejection,
            commit.CommitTime,
            commit.Signer);
    }

    /// <summary>The summary of a planner plan, for <see cref="Plan"/>.</summary>
    public static AuditPlanSummary Summarize(Planning.Plans.Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var summary = plan.Summary;
        return new AuditPlanSummary(summary.ToAdd, summary.ToChange, summary.ToDestroy, summary.Drift);
    }
}
