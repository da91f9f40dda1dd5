using System.CommandLine;
using System.Text.Json;
using Reconciler.Cli.Output;
using Reconciler.Linux.Ipvs;
using Reconciler.Linux.Route;
using Reconciler.Linux.Sysctl;
using Reconciler.Planning.Desired;
using Reconciler.Planning.Execution;
using Reconciler.Planning.Plans;
using Reconciler.Planning.Serialization;

namespace Reconciler.Cli.Commands;

/// <summary>
/// <c>reconciler plan</c>: a dry run against the live node, of the topology in files or at a commit in git (named
/// in the output). Exit codes with <c>--detailed-exitcode</c>: 0 no changes, 2 changes, 1 error (Terraform's).
/// </summary>
internal static class PlanCommand
{
    public static Command Create()
    {
        var node = new NodeOptions();
        var json = new Option<bool>("--json") { Description = "Print the plan as JSON (stable, documented in the README)." };
        var detailed = new Option<bool>("--detailed-exitcode") { Description = "Exit 0 when there are no changes, 2 when there are, 1 on error." };
        var output = new Option<string?>("--out", "-o") { Description = "Save the plan to a file for 'reconciler apply FILE'." };
        var command = new Command("plan", "Show what apply would change on this node, without changing anything.");
        node.AddTo(command);
        command.Options.Add(json);
        command.Options.Add(detailed);
        command.Options.Add(output);
        command.SetAction(parse =>
        {
            try
            {
                using var ipvs = IpvsNetlinkClient.Open();
                using var addresses = RtnetlinkNodeAddresses.Open();
                var reconciler = new NodeReconciler(ipvs, addresses, new ProcSysctls(), new RtnetlinkNodeRoutes(addresses.Client), node.OwnershipStore(parse), TimeProvider.System);

                var (topology, git, reading) = node.LoadTopologyWhileReading(parse, reconciler.Read);
                var name = topology is null ? null : node.ResolveNode(parse, topology);
                var runtime = topology is null || name is null ? null : node.Overlay(parse, topology, name);
                if (topology is null || name is null || runtime is not { } inputs)
                {
                    return ExitCodes.Error;
                }

                var desired = DesiredStateBuilder.Build(topology, name, inputs.Overlay);
                var plan = reconciler.PlanAgainst(reading, desired, inputs.DrainTimeout).Plan;
                if (git is not null)
                {
                    // The plan names the commit it was computed from (in its JSON and in a saved plan).
                    plan = plan with { Revision = git.Commit.Sha };
                }

                if (parse.GetValue(json))
                {
                    if (git is not null)
                    {
                        Console.Error.WriteLine($"Topology: {git.Describe()}");
                    }

                    Console.Out.Write(JsonSerializer.Serialize(plan, PlanningJsonContext.Default.Plan) + "\n");
                }
                else
                {
                    Console.Out.Write((git is null ? "" : $"Topology: {git.Describe()}\n\n") + PlanTextRenderer.Render(plan, Terminal.UseColor, desired));
                }
                if (parse.GetValue(output) is { } file)
                {
                    SavedPlan.Of(plan, desired).Write(file);
                    Console.Error.WriteLine($"Saved the plan to {file}; apply it with: reconciler apply {file}");
                }

                return parse.GetValue(detailed) && plan.HasChanges ? ExitCodes.Changes : ExitCodes.Success;
            }
            catch (Exception e) when (e is Reconciler.Ipvs.IpvsException or Reconciler.Linux.Netlink.NetlinkException or IOException or UnauthorizedAccessException)
            {
                return Terminal.Fail(e.Message);
            }
        });
        return command;
    }
}
