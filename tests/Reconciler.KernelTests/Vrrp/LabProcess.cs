using System.Collections.Concurrent;
using System.Diagnostics;

namespace Reconciler.KernelTests.Vrrp;

/// <summary>A long-running process started in a namespace (through <c>ip netns exec</c>, which execs: same PID),
/// its output lines kept with their arrival time. Disposing kills it (SIGKILL) by PID if it still runs.</summary>
public sealed class LabProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<(DateTimeOffset At, string Line)> _lines = new();

    private LabProcess(Process process, string what)
    {
        _process = process;
        What = what;
    }

    public string What { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public IEnumerable<(DateTimeOffset At, string Line)> Lines => _lines;

    public static LabProcess Start(string space, string file, params string[] arguments)
    {
        var start = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["netns", "exec", space, file, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + file);
        var lab = new LabProcess(process, $"{file} in {space}");
        process.StandardInput.Close();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lab._lines.Enqueue((DateTimeOffset.UtcNow, e.Data)); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lab._lines.Enqueue((DateTimeOffset.UtcNow, "stderr: " + e.Data)); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return lab;
    }

    /// <summary>Waits for an output line containing <paramref name="text"/> (after <paramref name="since"/>); returns when it arrived.</summary>
    public DateTimeOffset WaitForLine(string text, TimeSpan timeout, DateTimeOffset? since = null) =>
        WaitForLine(line => line.Contains(text, StringComparison.Ordinal), text, timeout, since);

    public DateTimeOffset WaitForLine(Func<string, bool> match, string what, TimeSpan timeout, DateTimeOffset? since = null)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (DateTimeOffset.UtcNow < deadline)
        {
            foreach (var (at, line) in _lines)
            {
                if ((since is null || at >= since) && match(line))
                {
                    return at;
                }
            }

            if (_process.HasExited)
            {
                break;
            }

            Thread.Sleep(20);
        }

        throw new TimeoutException($"{What}: no '{what}' within {timeout.TotalSeconds:0.#} s; output:\n{Output}\nbusiest processes:\n{Busiest()}");
    }

    /// <summary>The guest's busiest processes (for a timeout's message: a starved guest and a hung process look alike).</summary>
    private static string Busiest()
    {
        try
        {
            var lines = Infrastructure.Lab.Run("ps", "-eo", "pid,pcpu,etimes,stat,rss,args", "--sort=-pcpu").Output.Split('\n');
            return string.Join('\n', lines.Take(12).Select(l => l.Length > 160 ? l[..160] : l));
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return "(ps failed: " + e.Message + ")";
        }
    }

    public string Output => string.Join('\n', _lines.Select(l => l.Line));

    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(); // SIGKILL to this PID only
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <summary>SIGKILL to the process and every process it started (a forking server's children).</summary>
    public void KillTree()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    public void Terminate(TimeSpan wait)
    {
        if (_process.HasExited)
        {
            return;
        }

        Signals.Send(_process.Id, Signals.SIGTERM);
        if (!_process.WaitForExit((int)wait.TotalMilliseconds))
        {
            Kill();
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
