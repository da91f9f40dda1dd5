using System.CommandLine;
using Reconciler.Cli.Commands;

var root = new RootCommand("reconciler: Linux L4 load balancers (IPVS + VRRP) from a topology in git.");
foreach (var command in CommandCatalog.All())
{
    root.Subcommands.Add(command);
}

return await root.Parse(args).InvokeAsync();
