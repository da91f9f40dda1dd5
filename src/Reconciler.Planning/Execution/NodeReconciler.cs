using Reconciler.Ipvs;
using Reconciler.Planning.Desired;
using Reconciler.Planning.Observed;
using Reconciler.Planning.Ownership;
using Reconciler.Planning.Plans;

namespace Reconciler.Planning.Execution;

/// <summary>
/// One node's reconcile: read the live state fresh, plan against it and the ownership record, and apply exactly
/// that plan. Shared by <c>plan</c>, <c>apply</c> and the agent.
/// </summary>
public sealed class NodeReconciler(IIpvsClient ipvs, INodeAddresses addresses, IOwnershipStore store, TimeProvider time)
{
    public ObservedState ReadLive() => new(ipvs.GetAll(), addresses.GetAddresses());

    public Plan Plan(DesiredState desired, ObservedState live, TimeSpan? drainTimeout = null, bool pruneUnmanaged = false)
    {
        var options = new PlannerOptions(time.GetUtcNow(), drainTimeout ?? PlannerOptions.DefaultDrainTimeout, pruneUnmanaged);
        return Planner.Create(desired, live, store.Load(), options);
    }

    /// <summary>Applies a plan just computed against <paramref name="planned"/>, exactly as it is.</summary>
    public ApplyOutcome Apply(DesiredState desired, ObservedState planned, Plan plan, Action<StepResult>? onStep = null)
    {
        var before = store.Load();
        if (plan.HasChanges)
        {
            store.Save(OwnershipUpdate.WithIntent(before, plan));
        }

        var result = new PlanExecutor(ipvs, addresses).Execute(plan, onStep);
        store.Save(OwnershipUpdate.AfterApply(before, desired, planned, plan, result, time.GetUtcNow()));
        return new ApplyOutcome(plan, result);
    }

    /// <summary>
    /// Applies a saved plan only if the kernel still holds exactly the state the plan was computed against;
    /// otherwise throws <see cref="StalePlanException"/> and changes nothing.
    /// </summary>
    public ApplyOutcome ApplySaved(SavedPlan saved, Action<StepResult>? onStep = null)
    {
        var live = ReadLive();
        var fingerprint = ObservedFingerprint.Of(live);
        if (fingerprint != saved.Plan.ObservedFingerprint)
        {
            throw new StalePlanException(saved.Plan.ObservedFingerprint, fingerprint);
        }

        return Apply(saved.Desired, live, saved.Plan, onStep);
    }
}

/// <summary>A plan and how its execution went.</summary>
public sealed record ApplyOutcome(Plan Plan, ApplyResult Result);

/// <summary>The live state changed after the plan was made: applying it could undo someone's change.</summary>
public sealed class StalePlanException : Exception
{
    public StalePlanException(string planned, string live)
        : base($"stale plan: the live state changed since the plan was made (planned against {planned[..19]}..., live is {live[..19]}...); run plan again")
    {
        Planned = planned;
        Live = live;
    }

    public StalePlanException()
        : this("sha256:0000000000000000000000", "sha256:0000000000000000000000")
    {
    }

    public StalePlanException(string message)
        : base(message)
    {
        Planned = Live = "";
    }

    public StalePlanException(string message, Exception inner)
        : base(message, inner)
    {
        Planned = Live = "";
    }

    public string Planned { get; } = "";

    public string Live { get; } = "";
}
