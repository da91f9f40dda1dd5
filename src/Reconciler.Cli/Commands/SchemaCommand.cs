using System.CommandLine;
using Reconciler.Topology.Loading;

namespace Reconciler.Cli.Commands;

internal static class SchemaCommand
{
    public static Command Create()
    {
        var command = new Command("schema", "Print the JSON schema of topology files (for editors: '# yaml-language-server: $schema=...').");
        command.SetAction(_ =>
        {
            Console.Out.WriteLine(TopologySchema.Json);
            return 0;
        });
        return command;
    }
}
