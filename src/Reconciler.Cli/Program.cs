using System.CommandLine;
using LibGit2Sharp;
using Reconciler.Cli.Commands;
using Reconciler.Linux.State;
using Reconciler.Planning.Storage;

// Before anything touches LibGit2Sharp: where its native library is when it is not beside the executable.
UseLibgit2FromPackageDirectory();

// State files (ownership record, last good revision, audit journal) are flushed to disk folder and all.
StateFiles.DirectorySync = FsyncDirectorySync.Instance;

var root = new RootCommand("reconciler: Linux L4 load balancers (IPVS + VRRP) from a topology in git.");
foreach (var command in CommandCatalog.All())
{
    root.Subcommands.Add(command);
}

return await root.Parse(args).InvokeAsync();

// `dotnet publish` puts libgit2-*.so beside the executable, where LibGit2Sharp looks by default. The Debian package
// (packaging/deb) installs the executable as /usr/bin/reconciler and the library in /usr/lib/reconciler, off the
// loader's search path, so LibGit2Sharp is pointed there; a library beside the executable wins. LibGit2Sharp 0.32
// opens NativeLibraryPath/git2-HASH.so (its import name, without the file's "lib" prefix), so the package holds that
// name too, a symlink to libgit2-HASH.so, and that is the file looked for here. Must run before LibGit2Sharp loads the
// library (NativeLibraryPath cannot change after that).
static void UseLibgit2FromPackageDirectory()
{
    const string packageDirectory = "/usr/lib/reconciler";
    if (Directory.EnumerateFiles(AppContext.BaseDirectory, "libgit2-*.so").Any())
    {
        return;
    }

    if (Directory.Exists(packageDirectory) && Directory.EnumerateFiles(packageDirectory, "git2-*.so").Any())
    {
        GlobalSettings.NativeLibraryPath = packageDirectory;
    }
}
