using Reconciler.Ipvs;

namespace Reconciler.Planning.Plans;

/// <summary>
/// An ordered list of steps that turns the observed state into the desired one, computed against a snapshot
/// whose fingerprint it carries: a saved plan is applied only while the kernel still matches that snapshot.
/// A plan is data: it can be printed, serialized, reviewed, and then executed exactly as shown.
/// </summary>
public sealed record Plan(
    string Node,
    IReadOnlyList<PlanStep> Steps,
    IReadOnlyList<UnmanagedService> Unmanaged,
    IReadOnlyList<DrainingDestination> Draining,
    string ObservedFingerprint,
    string? Revision = null)
{
    public bool HasChanges => Steps.Count > 0;

    public PlanSummary Summary => PlanSummary.Of(Steps);
}

/// <summary>Terraform's counts: creates add; updates and drains change; deletes destroy.</summary>
public sealed record PlanSummary(int ToAdd, int ToChange, int ToDestroy, int Drift)
{
    public static PlanSummary Of(IReadOnlyList<PlanStep> steps) => new(
        steps.Count(s => s.Action == StepAction.Create),
        steps.Count(s => s.Action is StepAction.Update or StepAction.Drain),
        steps.Count(s => s.Action == StepAction.Delete),
        steps.Count(s => s.IsDrift));

    public override string ToString() => ToAdd + ToChange + ToDestroy == 0
        ? "No changes. The live state matches the topology."
        : $"Plan: {ToAdd} to add, {ToChange} to change, {ToDestroy} to destroy.";
}

/// <summary>A service in the kernel that neither the topology nor this agent's record claims: left alone.</summary>
public sealed record UnmanagedService(ServiceKey Key, int Destinations);

/// <summary>A real server at weight 0 waiting for its connections to end before it is deleted.</summary>
public sealed record DrainingDestination(ServiceKey Service, string Endpoint, uint ActiveConnections, uint InactiveConnections, DateTimeOffset Since, DateTimeOffset Deadline);
