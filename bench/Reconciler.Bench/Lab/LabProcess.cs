using System.Diagnostics;
using System.Globalization;

namespace Reconciler.Bench.Lab;

/// <summary>
/// A long-running process (an agent, keepalived, git daemon) whose output goes straight to a log file, not through
/// this program. It is started through <c>bash -c 'exec ...'</c> and <c>ip netns exec</c>, both of which exec: its
/// <see cref="Id"/> is the process itself. Disposing it kills it (SIGKILL) if it still runs.
/// </summary>
internal sealed class LabProcess : IDisposable
{
    private readonly Process _process;

    private LabProcess(Process process, string log)
    {
        _process = process;
        Log = log;
        Clock = Stopwatch.StartNew();
    }

    public int Id => _process.Id;

    public string Log { get; }

    /// <summary>Started when the process was.</summary>
    public Stopwatch Clock { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Runs <paramref name="command"/> in network namespace <paramref name="space"/>, output appended to <paramref name="log"/>.</summary>
    public static LabProcess StartIn(string space, string log, params string[] command)
    {
        var start = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardInput = true };
        foreach (var argument in (string[])["-c", "exec \"$@\" >>\"$0\" 2>&1 </dev/null", log, "ip", "netns", "exec", space, .. command])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {command[0]}");
        return new LabProcess(process, log);
    }

    /// <summary>Throws with the end of the log when the process has exited.</summary>
    public void ThrowIfExited()
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException(
                string.Create(CultureInfo.InvariantCulture, $"process {Id} exited with {_process.ExitCode}; end of {Log}:\n{Tail(Log, 20)}"));
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
        LabLogs.Keep(Log);
    }

    public static string Tail(string path, int lines) =>
        File.Exists(path) ? string.Join('\n', File.ReadLines(path).TakeLast(lines)) : "(no log)";
}
