using System.CommandLine;
using Reconciler.Cli.Commands;
using Reconciler.Linux.State;
using Reconciler.Planning.Storage;

// State files (ownership record, last good revision, audit journal) are flushed to disk folder and all.
StateFiles.DirectorySync = FsyncDirectorySync.Instance;

var root = new RootCommand("reconciler: Linux L4 load balancers (IPVS + VRRP) from a topology in git.");
foreach (var command in CommandCatalog.All())
{
    root.Subcommands.Add(command);
}

return await root.Parse(args).InvokeAsync();
