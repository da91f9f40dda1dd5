using Reconciler.Planning.Plans;

namespace Reconciler.Planning.Execution;

/// <summary>The outcome of one step: <see cref="Error"/> is null when it succeeded.</summary>
public sealed record StepResult(PlanStep Step, string? Error)
{
    public bool Succeeded => Error is null;
}

/// <summary>The outcome of executing a plan, step by step, in plan order.</summary>
public sealed record ApplyResult(IReadOnlyList<StepResult> Steps)
{
    public int Succeeded => Steps.Count(s => s.Succeeded);

    public int Failed => Steps.Count(s => !s.Succeeded);

    public bool AllSucceeded => Failed == 0;
}
