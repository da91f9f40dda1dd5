namespace Reconciler.Bench.Lab;

/// <summary>
/// Logs of the processes a benchmark starts. They are written in the benchmark's work folder (the guest's memory:
/// writing each log line through the 9p share costs a round trip to the host and slowed an agent's apply log to
/// about 180 lines a second) and copied, when the process is done, to <c>BENCH_LOGS</c> if set (bench/guest.sh
/// points it at the shared results folder, so the logs outlive the guest).
/// </summary>
internal static class LabLogs
{
    public static string File(string work, string name) => Path.Combine(work, name);

    public static void Keep(string log)
    {
        var directory = Environment.GetEnvironmentVariable("BENCH_LOGS");
        if (string.IsNullOrEmpty(directory) || !System.IO.File.Exists(log))
        {
            return;
        }

        Directory.CreateDirectory(directory);
        System.IO.File.Copy(log, Path.Combine(directory, Path.GetFileName(log)), overwrite: true);
    }

    /// <summary>Keeps every file of a failed run's folder (its daemons' own logs, what it saved) under
    /// <c>BENCH_LOGS/NAME/</c>, so the failure can be read after the guest is gone.</summary>
    public static void KeepFolder(string folder, string name)
    {
        var directory = Environment.GetEnvironmentVariable("BENCH_LOGS");
        if (string.IsNullOrEmpty(directory) || !Directory.Exists(folder))
        {
            return;
        }

        var target = Path.Combine(directory, name);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            System.IO.File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        }
    }
}
