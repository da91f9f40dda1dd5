using Reconciler.GitSource.Source;
using Reconciler.Planning.Plans;

namespace Reconciler.Agent.Metrics;

/// <summary>The agent's own counters (health and VRRP keep theirs); thread-safe, monotonic.</summary>
public sealed class AgentMetrics
{
    /// <summary>Upper bounds (seconds) of the reconcile duration histogram.</summary>
    public static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly long[] _durationCounts = new long[DurationBuckets.Length];
    private readonly Lock _lock = new();
    private double _durationSum;
    private long _reconciles;
    private long _reconcileFailures;
    private long _reconcilesSkipped;
    private long _created;
    private long _updated;
    private long _deleted;
    private long _drained;
    private long _failedOperations;
    private long _drift;
    private long _commitsApplied;
    private readonly long[] _commitsRejected = new long[Enum.GetValues<RejectionKind>().Length];
    private long _plansRefused;
    private long _pollFailures;
    private long _polls;

    public void RecordReconcile(TimeSpan duration, bool failed)
    {
        lock (_lock)
        {
            _reconciles++;
            if (failed)
            {
                _reconcileFailures++;
            }

            _durationSum += duration.TotalSeconds;
            for (var i = 0; i < DurationBuckets.Length; i++)
            {
                if (duration.TotalSeconds <= DurationBuckets[i])
                {
                    _durationCounts[i]++;
                }
            }
        }
    }

    public void RecordSkipped() => Interlocked.Increment(ref _reconcilesSkipped);

    public void RecordStep(PlanStep step, bool succeeded)
    {
        if (!succeeded)
        {
            Interlocked.Increment(ref _failedOperations);
            return;
        }

        switch (step.Action)
        {
            case StepAction.Create:
                Interlocked.Increment(ref _created);
                break;
            case StepAction.Update:
                Interlocked.Increment(ref _updated);
                break;
            case StepAction.Drain:
                Interlocked.Increment(ref _drained);
                break;
            default:
                Interlocked.Increment(ref _deleted);
                break;
        }

        if (step.IsDrift)
        {
            Interlocked.Increment(ref _drift);
        }
    }

    /// <summary>Drift repaired outside a plan: VRRP virtual addresses a MASTER's router put back.</summary>
    public void RecordDriftRepaired(int count) => Interlocked.Add(ref _drift, count);

    public void RecordPoll(bool failed)
    {
        Interlocked.Increment(ref _polls);
        if (failed)
        {
            Interlocked.Increment(ref _pollFailures);
        }
    }

    public void RecordCommitApplied() => Interlocked.Increment(ref _commitsApplied);

    public void RecordCommitRejected(RejectionKind kind) => Interlocked.Increment(ref _commitsRejected[(int)kind]);

    public void RecordPlanRefused() => Interlocked.Increment(ref _plansRefused);

    public long OperationsApplied => Interlocked.Read(ref _created) + Interlocked.Read(ref _updated) + Interlocked.Read(ref _deleted) + Interlocked.Read(ref _drained);

    public long Reconciles => Interlocked.Read(ref _reconciles);

    /// <summary>The label value of a rejection kind: <c>not-fast-forward</c>, as the audit journal spells it.</summary>
    public static string KindLabel(RejectionKind kind) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(kind.ToString());

    public void WriteTo(PrometheusWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        lock (_lock)
        {
            writer.Family("reconciler_reconciles_total", "counter", "Reconciles run (plan, and apply when the plan had changes), by result.")
                .Sample(_reconciles - _reconcileFailures, ("result", "success"))
                .Sample(_reconcileFailures, ("result", "failed"))
                .Sample(Interlocked.Read(ref _reconcilesSkipped), ("result", "skipped"));
            writer.Family("reconciler_reconcile_duration_seconds", "histogram", "Time from trigger taken to plan applied.");
            for (var i = 0; i < DurationBuckets.Length; i++)
            {
                writer.Sample("_bucket", _durationCounts[i], ("le", DurationBuckets[i].ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
            }

            writer.Sample("_bucket", _reconciles, ("le", "+Inf"))
                .Sample("_sum", _durationSum)
                .Sample("_count", _reconciles);
        }

        writer.Family("reconciler_operations_applied_total", "counter", "Kernel operations done (IPVS services, real servers, addresses), by action.")
            .Sample(Interlocked.Read(ref _created), ("action", "create"))
            .Sample(Interlocked.Read(ref _updated), ("action", "update"))
            .Sample(Interlocked.Read(ref _drained), ("action", "drain"))
            .Sample(Interlocked.Read(ref _deleted), ("action", "delete"));
        writer.Family("reconciler_operations_failed_total", "counter", "Kernel operations that failed.")
            .Sample(Interlocked.Read(ref _failedOperations));
        writer.Family("reconciler_drift_repaired_total", "counter", "Operations that repaired a difference between the kernel and what was last applied.")
            .Sample(Interlocked.Read(ref _drift));
        writer.Family("reconciler_commits_applied_total", "counter", "New commits whose topology was applied.")
            .Sample(Interlocked.Read(ref _commitsApplied));
        writer.Family("reconciler_commits_rejected_total", "counter", "Commits refused, by why: invalid, signature, safety-limit, not-fast-forward (a force-push).");
        foreach (var kind in Enum.GetValues<RejectionKind>())
        {
            writer.Sample(Interlocked.Read(ref _commitsRejected[(int)kind]), ("kind", KindLabel(kind)));
        }

        writer.Family("reconciler_plans_refused_total", "counter", "Plans not executed because they would delete more of what the node runs than the safety limit allows.")
            .Sample(Interlocked.Read(ref _plansRefused));
        writer.Family("reconciler_git_polls_total", "counter", "Polls of the topology repository, by result.")
            .Sample(Interlocked.Read(ref _polls) - Interlocked.Read(ref _pollFailures), ("result", "reached"))
            .Sample(Interlocked.Read(ref _pollFailures), ("result", "unreachable"));
    }
}
