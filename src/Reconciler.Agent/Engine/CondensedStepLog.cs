using System.Globalization;
using Reconciler.Planning.Execution;
using Reconciler.Planning.Plans;

namespace Reconciler.Agent.Engine;

/// <summary>
/// Which applied steps of one plan get a log line of their own, the way terraform and kubectl keep a big apply
/// readable. A plan of up to <see cref="ItemizedLimit"/> operations is logged step by step; a larger one shows its
/// first <see cref="ShownOfLargePlan"/> succeeded steps, and <see cref="Remainder"/> counts the rest by kind in one
/// line. A failed step always gets its own line, wherever it falls in the plan. Pure: the caller does the logging.
/// </summary>
internal sealed class CondensedStepLog(int planSteps)
{
    /// <summary>The largest plan whose every operation is logged on its own line.</summary>
    public const int ItemizedLimit = 20;

    /// <summary>How many succeeded operations of a larger plan are logged on their own line before the summary.</summary>
    public const int ShownOfLargePlan = 10;

    private readonly Dictionary<StepKind, int> _unshownByKind = [];
    private int _shown;
    private int _unshown;

    /// <summary>True when <paramref name="result"/> is logged on its own line; otherwise it is counted for
    /// <see cref="Remainder"/>. Call once per step, in execution order.</summary>
    public bool GetsOwnLine(StepResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!result.Succeeded)
        {
            return true;
        }

        if (planSteps <= ItemizedLimit || _shown < ShownOfLargePlan)
        {
            _shown++;
            return true;
        }

        var kind = KindOf(result.Step);
        _unshownByKind[kind] = _unshownByKind.GetValueOrDefault(kind) + 1;

        _unshown++;
        return false;
    }

    /// <summary>The summary of the steps that had no line of their own, services before real servers before
    /// addresses, each by action in <see cref="StepAction"/> order
    /// (<c>... and 99,980 more: 9,990 services created, 89,990 real servers added</c>); null when there are none.</summary>
    public string? Remainder()
    {
        if (_unshown == 0)
        {
            return null;
        }

        var kinds = _unshownByKind
            .OrderBy(k => k.Key.Object)
            .ThenBy(k => k.Key.Action)
            .Select(k => k.Key.Counted(k.Value));
        return $"... and {Number(_unshown)} more: {string.Join(", ", kinds)}";
    }

    private static StepKind KindOf(PlanStep step) => step switch
    {
        ServiceStep => new StepKind(0, step.Action, "service", "services", Verb(step.Action, "created", "deleted")),
        DestinationStep => new StepKind(1, step.Action, "real server", "real servers", Verb(step.Action, "added", "removed")),
        AddressStep => new StepKind(2, step.Action, "address", "addresses", Verb(step.Action, "added", "removed")),
        _ => new StepKind(3, step.Action, "operation", "operations", Verb(step.Action, "created", "deleted")),
    };

    private static string Verb(StepAction action, string create, string delete) => action switch
    {
        StepAction.Create => create,
        StepAction.Delete => delete,
        StepAction.Drain => "drained",
        _ => "updated",
    };

    private static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>What the summary counts: one kind of object (in summary order) and what was done to it
    /// (<c>real servers added</c>).</summary>
    private readonly record struct StepKind(int Object, StepAction Action, string Singular, string Plural, string Verb)
    {
        public string Counted(int count) => $"{Number(count)} {(count == 1 ? Singular : Plural)} {Verb}";
    }
}
