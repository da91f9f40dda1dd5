using Reconciler.Ipvs;
using Reconciler.Planning.Observed;

namespace Reconciler.Planning.Plans;

/// <summary>
/// The plan-level guard of <c>reconciler apply</c>, the command line's counterpart of the agent's per-commit safety
/// limit: a plan that deletes more than <see cref="MaxRemovedPercent"/> of the services this node manages in the
/// kernel (or every one of them) is refused unless the operator allows it. A truncated file, a wrong <c>--path</c>
/// or the wrong <c>--node</c> then costs an error message, not the director's traffic. Services another tool owns
/// (<see cref="Plan.Unmanaged"/>) are not counted; nothing is refused when nothing is deleted. The agent checks every
/// plan with it too, against what the node runs now (so a lost record of the last good commit cannot switch it off),
/// counting only the deletions the topology causes: a service it still declares that leaves because this node became
/// BACKUP or lost the service's quorum is not a mass removal.
/// </summary>
public sealed record RemovalLimit
{
    public static RemovalLimit Default { get; } = new();

    /// <summary>Largest share of the managed services one plan may delete, 0..100.</summary>
    public double MaxRemovedPercent { get; init; } = 50;

    /// <summary>Null when <paramref name="plan"/> is within the limit, else why it is refused. Deletions of services in
    /// <paramref name="stillDeclared"/> (the topology declares them for this node; the runtime overlay takes them
    /// away) are not counted.</summary>
    public string? Check(Plan plan, ObservedState live, IReadOnlySet<ServiceKey>? stillDeclared = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(live);
        int deleted = plan.Steps.Count(s => s is ServiceStep { Action: StepAction.Delete } step && stillDeclared?.Contains(step.Key) != true);
        if (deleted == 0)
        {
            return null;
        }

        var unmanaged = plan.Unmanaged.Select(u => u.Key).ToHashSet();
        int managed = Math.Max(deleted, live.Services.Count(s => !unmanaged.Contains(s.Service.Key)));
        double percent = 100.0 * deleted / managed;
        if (deleted == managed)
        {
            return $"the plan deletes every service this node manages ({managed})";
        }

        return percent > MaxRemovedPercent
            ? $"the plan deletes {deleted} of the {managed} services this node manages ({percent:0.#}%), more than the limit of {MaxRemovedPercent:0.#}%"
            : null;
    }
}
