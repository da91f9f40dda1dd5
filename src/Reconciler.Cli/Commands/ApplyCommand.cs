using System.CommandLine;
using Reconciler.Cli.Output;
using Reconciler.GitSource.Audit;
using Reconciler.Linux.Ipvs;
using Reconciler.Linux.Route;
using Reconciler.Linux.Sysctl;
using Reconciler.Planning.Desired;
using Reconciler.Planning.Execution;
using Reconciler.Planning.Plans;

namespace Reconciler.Cli.Commands;

/// <summary>
/// <c>reconciler apply</c>: plan and apply at once, or apply a saved plan only if the live state still matches
/// the one it was computed against. Prints each operation as it is done, then a summary. With <c>--repo</c> the
/// topology is the one at a commit in git: the output names it, and the audit journal in the state folder records
/// the apply (or the rejection of an invalid commit), as the agent's does.
/// </summary>
internal static class ApplyCommand
{
    public static Command Create()
    {
        var node = new NodeOptions(topologyRequired: false);
        var planFile = new Argument<string?>("plan-file") { Description = "A plan saved by 'reconciler plan -o FILE'.", Arity = ArgumentArity.ZeroOrOne };
        var allowMassRemoval = new Option<bool>("--allow-mass-removal")
        {
            Description = $"Apply a plan that deletes more than {RemovalLimit.Default.MaxRemovedPercent:0}% of the services this node manages, or all of them.",
        };
        var command = new Command("apply", "Apply the topology to this node: only the difference, in a safe order.") { planFile, allowMassRemoval };
        node.AddTo(command);
        command.Validators.Add(result =>
        {
            if (result.GetValue(planFile) is not null && (result.GetValue(node.Files) is { Length: > 0 } || result.GetValue(node.Git.Repository) is not null))
            {
                result.AddError("a saved plan carries its own topology: pass PLANFILE alone, without -f or --repo");
            }
        });
        command.SetAction(parse =>
        {
            using var output = Terminal.BufferOutputWhenRedirected(); // one line per operation
            try
            {
                using var ipvs = IpvsNetlinkClient.Open();
                using var addresses = RtnetlinkNodeAddresses.Open();
                var reconciler = new NodeReconciler(ipvs, addresses, new ProcSysctls(), new RtnetlinkNodeRoutes(addresses.Client), node.OwnershipStore(parse), TimeProvider.System);
                if (parse.GetValue(planFile) is { } saved)
                {
                    var savedPlan = SavedPlan.Read(saved);
                    if (savedPlan.Plan.Revision is { } revision)
                    {
                        Console.Out.WriteLine($"Plan computed from commit {revision[..Math.Min(12, revision.Length)]}");
                    }

                    if (!parse.GetValue(allowMassRemoval) && RemovalLimit.Default.Check(savedPlan.Plan, reconciler.ReadLive()) is { } refusalOfSaved)
                    {
                        return RefuseMassRemoval(refusalOfSaved);
                    }

                    return Summarize(reconciler.ApplySaved(savedPlan, Print)).Code;
                }

                var (topology, git, reading) = node.LoadTopologyWhileReading(parse, reconciler.Read);
                if (git is not null && !git.Result.IsValid)
                {
                    var reasons = git.Result.Errors.Select(d => d.ToString()).ToList();
                    Journal(node, parse, AuditEntry.For(DateTimeOffset.UtcNow, parse.GetValue(node.Node) ?? Environment.MachineName, git.Commit, AuditOutcome.Rejected, reasons));
                }

                var name = topology is null ? null : node.ResolveNode(parse, topology);
                var runtime = topology is null || name is null ? null : node.Overlay(parse, topology, name);
                if (topology is null || name is null || runtime is not { } inputs)
                {
                    return ExitCodes.Error;
                }

                if (git is not null)
                {
                    Console.Out.WriteLine($"Topology: {git.Describe()}");
                }

                var planned = reconciler.PlanAgainst(reading, DesiredStateBuilder.Build(topology, name, inputs.Overlay), inputs.DrainTimeout);
                var plan = planned.Plan;
                if (!parse.GetValue(allowMassRemoval) && RemovalLimit.Default.Check(plan, planned.Observed) is { } refusal)
                {
                    if (git is not null)
                    {
                        Journal(node, parse, AuditEntry.For(DateTimeOffset.UtcNow, name, git.Commit, AuditOutcome.Rejected, ["reconciler apply (command line): " + refusal]));
                    }

                    return RefuseMassRemoval(refusal);
                }

                var outcome = reconciler.Apply(git is null ? planned : planned with { Plan = plan with { Revision = git.Commit.Sha } }, Print);
                var (code, line) = Summarize(outcome);
                if (git is not null)
                {
                    var audit = outcome.Result.Failed > 0 ? AuditOutcome.Failed : outcome.Plan.HasChanges ? AuditOutcome.Applied : AuditOutcome.Skipped;
                    List<string> reasons = ["reconciler apply (command line)", .. audit == AuditOutcome.Skipped ? ["no changes for this node"] : Array.Empty<string>()];
                    Journal(node, parse, AuditEntry.For(
                        DateTimeOffset.UtcNow, name, git.Commit, audit, reasons, AuditEntry.Summarize(outcome.Plan), outcome.Result.Succeeded, outcome.Result.Failed, line));
                }

                return code;
            }
            catch (Exception e) when (e is StalePlanException or Reconciler.Ipvs.IpvsException or Reconciler.Linux.Netlink.NetlinkException or IOException or InvalidDataException or UnauthorizedAccessException)
            {
                return Terminal.Fail(e.Message);
            }
        });
        return command;
    }

    private static int RefuseMassRemoval(string refusal) =>
        Terminal.Fail($"{refusal}; nothing was applied. Check the topology (--file, --path, --node); if this is meant, run 'reconciler plan' to review it and apply with --allow-mass-removal.");

    private static void Print(StepResult result)
    {
        var symbol = result.Step.Action switch { StepAction.Create => "+", StepAction.Delete => "-", _ => "~" };
        Console.Out.WriteLine(result.Succeeded
            ? $"{symbol} {result.Step.Target}{(result.Step.Action == StepAction.Drain ? " (drain)" : "")}: done"
            : $"{symbol} {result.Step.Target}: FAILED: {result.Error}");
    }

    /// <summary>Prints the summary line; returns the exit code and that line.</summary>
    private static (int Code, string Line) Summarize(ApplyOutcome outcome)
    {
        var summary = outcome.Plan.Summary;
        if (!outcome.Plan.HasChanges)
        {
            const string none = "No changes. The live state matches the topology.";
            Console.Out.WriteLine(none);
            return (ExitCodes.Success, none);
        }

        var line =
            $"Apply complete: {outcome.Result.Succeeded} of {outcome.Result.Steps.Count} operations done " +
            $"({summary.ToAdd} added, {summary.ToChange} changed, {summary.ToDestroy} destroyed{(summary.Drift > 0 ? $", {summary.Drift} drift repaired" : "")})" +
            (outcome.Result.Failed > 0 ? $"; {outcome.Result.Failed} failed." : ".");
        Console.Out.WriteLine(line);
        return (outcome.Result.AllSucceeded ? ExitCodes.Success : ExitCodes.Error, line);
    }

    /// <summary>Appends to the audit journal; a journal that cannot be written is reported, and the apply stands.</summary>
    private static void Journal(NodeOptions node, System.CommandLine.ParseResult parse, AuditEntry entry)
    {
        try
        {
            AuditJournal.InStateDirectory(node.StateDirectoryPath(parse)).Append(entry);
        }
        catch (AuditJournalException e)
        {
            Console.Error.WriteLine($"reconciler: warning: {e.Message}");
        }
    }
}
