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
}
