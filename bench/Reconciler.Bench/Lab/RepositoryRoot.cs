namespace Reconciler.Bench.Lab;

/// <summary>Where this program's repository is, and the published <c>reconciler</c> in it.</summary>
internal static class RepositoryRoot
{
    public static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Reconciler.sln")))
            {
                return directory.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }

    /// <summary><c>RECONCILER_BIN</c>, else <c>artifacts/bin/reconciler</c> (what <c>bench/run.sh</c> publishes).</summary>
    public static string Reconciler()
    {
        var configured = Environment.GetEnvironmentVariable("RECONCILER_BIN");
        var path = string.IsNullOrEmpty(configured) ? Path.Combine(Find(), "artifacts", "bin", "reconciler") : configured;
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"no {path}: publish src/Reconciler.Cli there (bench/run.sh does) or set RECONCILER_BIN");
    }
}
