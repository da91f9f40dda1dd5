using Reconciler.Topology.Model;

namespace Reconciler.Planning.Plans;

/// <summary>Add (<see cref="StepAction.Create"/>), replace in place (<see cref="StepAction.Update"/>: same table,
/// destination and metric, other settings) or remove a static route. <see cref="Route"/> is what the kernel gets
/// (for a delete: the route as read).</summary>
public sealed record RouteStep(
    StepAction Action,
    IpRoute Route,
    IReadOnlyList<FieldChange> Changes,
    bool IsDrift,
    string? Reason) : PlanStep(Action, IsDrift, Reason)
{
    public override string Target => $"route {RouteText.Format(Route)}";
}

/// <summary>Add or remove a static policy rule. <see cref="Rule"/> is what the kernel gets (for a delete: the rule as
/// read, with the priority the kernel gave it).</summary>
public sealed record RuleStep(
    StepAction Action,
    IpRule Rule,
    bool IsDrift,
    string? Reason) : PlanStep(Action, IsDrift, Reason)
{
    public override string Target => $"rule {RouteText.Format(Rule)}";
}
