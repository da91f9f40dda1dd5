using System.CommandLine;

namespace Reconciler.Cli.Commands;

/// <summary>Every sub-command of the CLI, in the order help lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return ValidateCommand.Create();
        yield return PlanCommand.Create();
        yield return ApplyCommand.Create();
        yield return DiffCommand.Create();
        yield return HistoryCommand.Create();
        yield return AgentCommand.Create();
        yield return AgentCommand.CreateStatus();
        yield return HandoverCommand.Create();
        yield return ImportCommand.Create();
        yield return IpvsCommand.Create();
        yield return SchemaCommand.Create();
    }
}
