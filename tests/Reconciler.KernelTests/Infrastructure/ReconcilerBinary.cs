namespace Reconciler.KernelTests.Infrastructure;

/// <summary>
/// The published <c>reconciler</c> executable (tests/run-all.sh publishes it and sets RECONCILER_BIN), run for real
/// inside a lab namespace, with a state folder of its own.
/// </summary>
public sealed class ReconcilerBinary(LabNamespace space) : IDisposable
{
    public string StateDirectory { get; } = Directory.CreateTempSubdirectory("reconciler-state-").FullName;

    public static string Path
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("RECONCILER_BIN");
            if (!string.IsNullOrEmpty(configured))
            {
                return File.Exists(configured) ? configured : throw new FileNotFoundException($"RECONCILER_BIN={configured} does not exist");
            }

            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                var candidate = System.IO.Path.Combine(directory.FullName, "artifacts", "bin", "reconciler");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new FileNotFoundException("the reconciler executable was not found: run 'dotnet publish src/Reconciler.Cli -o artifacts/bin' or set RECONCILER_BIN");
        }
    }

    /// <summary>Runs <c>reconciler ARGS</c> in the namespace.</summary>
    public ProcessResult Run(params string[] arguments) => Lab.Run("ip", ["netns", "exec", space.Name, Path, .. arguments]);

    /// <summary>Runs <c>reconciler ARGS</c> in the namespace under strace, recording its netlink writes to <paramref name="trace"/>.</summary>
    public ProcessResult RunTraced(string trace, params string[] arguments) =>
        Lab.Run("ip", ["netns", "exec", space.Name, "strace", "-f", "--seccomp-bpf", "-qq", "-e", "trace=sendmsg,sendto", "-xx", "-s", "256", "-o", trace, Path, .. arguments]);

    public void Dispose() => Directory.Delete(StateDirectory, recursive: true);
}
