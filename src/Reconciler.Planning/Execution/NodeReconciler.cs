using Reconciler.Ipvs;
using Reconciler.Planning.Desired;
using Reconciler.Planning.Observed;
using Reconciler.Planning.Ownership;
using Reconciler.Planning.Plans;

namespace Reconciler.Planning.Execution;

/// <summary>
/// One node's reconcile, shared by <c>plan</c>, <c>apply</c> and the agent: read the live state once, load the
/// ownership record once, plan against both (<see cref="PlanNow"/>); then apply exactly that plan, save the record
/// once and, when asked, read the live state once more (<see cref="Apply(NodePlan, Action{StepResult}?)"/>). A second save comes
/// before executing only when the plan creates objects or changes kernel parameters the record does not know yet
/// (the intent: a process killed mid-apply still knows what it may have created and what the values were).
/// </summary>
public sealed class NodeReconciler(IIpvsClient ipvs, INodeAddresses addresses, INodeSysctls sysctls, INodeRoutes routes, IOwnershipStore store, TimeProvider time)
{
    public NodeReconciler(IIpvsClient ipvs, INodeAddresses addresses, INodeSysctls sysctls, IOwnershipStore store, TimeProvider time)
        : this(ipvs, addresses, sysctls, NoNodeRoutes.Instance, store, time)
    {
    }

    public NodeReconciler(IIpvsClient ipvs, INodeAddresses addresses, IOwnershipStore store, TimeProvider time)
        : this(ipvs, addresses, NoNodeSysctls.Instance, store, time)
    {
    }

    /// <summary>One read of everything the node's plan covers: the IPVS table, the interface addresses, the routes
    /// and policy rules (unless <paramref name="withRoutes"/> is false: a node that declares and owns none need not dump
    /// its routing tables, which may be large, on every plan), and the kernel parameters the planner may change.</summary>
    public ObservedState ReadLive(bool withRoutes = true)
    {
        var services = ipvs.GetAll(withStatistics: false);
        var observedAddresses = addresses.GetAddresses();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in Desired.DesiredStateBuilder.ManagedSysctlNames)
        {
            if (sysctls.Read(name) is { } value)
            {
                values[name] = value;
            }
        }

        return new ObservedState(services, observedAddresses)
        {
            Sysctls = values,
            SyncDaemons = ipvs.GetSyncDaemons(),
            Routes = withRoutes ? routes.GetRoutes() : [],
            Rules = withRoutes ? routes.GetRules() : [],
        };
    }

    /// <summary>Reads the node once and loads the record once: what a plan is computed against. Needs no topology,
    /// so a command can read while it loads one (<see cref="PlanAgainst"/>).</summary>
    public NodeReading Read() => new(ReadLive(), store.Load());

    /// <summary>Reads the node once, loads the record once, and plans. Routes and rules are read only when
    /// <paramref name="desired"/> or the record has any: with neither, the planner has nothing to plan for them.</summary>
    public NodePlan PlanNow(DesiredState desired, TimeSpan? drainTimeout = null, bool pruneUnmanaged = false)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var record = store.Load();
        var withRoutes = desired.Routes.Count > 0 || desired.Rules.Count > 0 || desired.VrrpRoutes.Count > 0 || desired.VrrpRules.Count > 0
            || record.Routes.Count > 0 || record.Rules.Count > 0;
        return PlanAgainst(new NodeReading(ReadLive(withRoutes), record), desired, drainTimeout, pruneUnmanaged);
    }

    /// <summary>Plans <paramref name="desired"/> against a reading made by <see cref="Read"/>.</summary>
    public NodePlan PlanAgainst(NodeReading reading, DesiredState desired, TimeSpan? drainTimeout = null, bool pruneUnmanaged = false)
    {
        ArgumentNullException.ThrowIfNull(reading);
        var options = new PlannerOptions(time.GetUtcNow(), drainTimeout ?? PlannerOptions.DefaultDrainTimeout, pruneUnmanaged);
        return new NodePlan(desired, reading.Observed, reading.Record, Planner.Create(desired, reading.Observed, reading.Record, options), options);
    }

    /// <summary>Plans <paramref name="desired"/> against the read and record of <paramref name="previous"/> (the
    /// roles moved while it was made; the kernel objects the plan covers have one writer, this one).</summary>
    public NodePlan Replan(NodePlan previous, DesiredState desired)
    {
        ArgumentNullException.ThrowIfNull(previous);
        var options = previous.Options with { Now = time.GetUtcNow() };
        return previous with { Desired = desired, Plan = Planner.Create(desired, previous.Observed, previous.Record, options), Options = options };
    }

    /// <summary>A plan against a state read by the caller (tests, benchmarks); loads the record.</summary>
    public Plan Plan(DesiredState desired, ObservedState live, TimeSpan? drainTimeout = null, bool pruneUnmanaged = false)
    {
        var options = new PlannerOptions(time.GetUtcNow(), drainTimeout ?? PlannerOptions.DefaultDrainTimeout, pruneUnmanaged);
        return Planner.Create(desired, live, store.Load(), options);
    }

    /// <summary>Applies exactly <paramref name="planned"/>'s plan: one save of the record (two when the plan creates
    /// what the record does not know; with no changes the save adopts what matches), then, when anything was done and
    /// the caller asks for <see cref="ApplyOutcome.After"/>, one read of the result.</summary>
    public ApplyOutcome Apply(NodePlan planned, Action<StepResult>? onStep = null)
    {
        ArgumentNullException.ThrowIfNull(planned);
        if (planned.Plan.Steps.Any(s => s.Action == StepAction.Create || s is SysctlStep || s is RouteStep { Action: StepAction.Update }))
        {
            store.Save(OwnershipUpdate.WithIntent(planned.Record, planned.Plan));
        }

        var result = new PlanExecutor(ipvs, addresses, sysctls, routes).Execute(planned.Plan, onStep);
        store.Save(OwnershipUpdate.AfterApply(planned.Record, planned.Desired, planned.Observed, planned.Plan, result, time.GetUtcNow()));
        return new ApplyOutcome(planned.Plan, result, planned.Plan.HasChanges ? () => ReadLive() : () => planned.Observed);
    }

    /// <summary>Applies a plan just computed against <paramref name="planned"/> (tests, benchmarks); loads the record.</summary>
    public ApplyOutcome Apply(DesiredState desired, ObservedState planned, Plan plan, Action<StepResult>? onStep = null)
    {
        var options = new PlannerOptions(time.GetUtcNow(), PlannerOptions.DefaultDrainTimeout, false);
        return Apply(new NodePlan(desired, planned, store.Load(), plan, options), onStep);
    }

    /// <summary>
    /// Applies a saved plan only if the kernel still holds exactly the state the plan was computed against;
    /// otherwise throws <see cref="StalePlanException"/> and changes nothing.
    /// </summary>
    public ApplyOutcome ApplySaved(SavedPlan saved, Action<StepResult>? onStep = null)
    {
        ArgumentNullException.ThrowIfNull(saved);
        var live = ReadLive();
        var fingerprint = ObservedFingerprint.Of(live);
        if (fingerprint != saved.Plan.ObservedFingerprint)
        {
            throw new StalePlanException(saved.Plan.ObservedFingerprint, fingerprint);
        }

        var options = new PlannerOptions(time.GetUtcNow(), PlannerOptions.DefaultDrainTimeout, false);
        return Apply(new NodePlan(saved.Desired, live, store.Load(), saved.Plan, options), onStep);
    }
}

/// <summary>A plan with everything it was computed from: the desired state, the one read of the node, the ownership
/// record as loaded, and the planner's options. <see cref="NodeReconciler.Apply(NodePlan, Action{StepResult}?)"/>
/// executes exactly this.</summary>
public sealed record NodePlan(DesiredState Desired, ObservedState Observed, OwnershipRecord Record, Plan Plan, PlannerOptions Options);

/// <summary>A plan and how its execution went; <see cref="After"/> is the node as read once the plan ran.</summary>
/// <summary>What a plan is computed against: one read of the node and the ownership record as loaded.</summary>
public sealed record NodeReading(ObservedState Observed, OwnershipRecord Record);

public sealed record ApplyOutcome(Plan Plan, ApplyResult Result)
{
    private readonly Lazy<ObservedState>? _after;

    internal ApplyOutcome(Plan plan, ApplyResult result, Func<ObservedState> readAfter)
        : this(plan, result) => _after = new Lazy<ObservedState>(readAfter);

    /// <summary>The node as the apply left it, read when first asked for (the agent keeps it for its next drift
    /// check; a command that only reports the result does not pay a second dump of the whole table).</summary>
    public ObservedState? After => _after?.Value;
}

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
