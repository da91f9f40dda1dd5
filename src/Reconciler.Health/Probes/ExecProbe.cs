using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Reconciler.Health.Probes;

/// <summary>
/// keepalived's MISC_CHECK: runs a command (no shell) and reads its exit code. 0 is healthy, anything else
/// unhealthy; with dynamic weight, an exit code 2..255 is healthy with weight <c>code - 2</c> (and 0 resets the
/// configured weight). On timeout the whole process tree is killed. The command learns its target from
/// <c>RECONCILER_SERVICE</c>, <c>RECONCILER_REAL_SERVER_ADDRESS</c> and <c>RECONCILER_REAL_SERVER_PORT</c>; its
/// output is drained, and the first line of it (stderr first) is quoted in the detail.
/// </summary>
public sealed class ExecProbe : IHealthProbe, ISelfTimedProbe
{
    private const int MaxOutputBytes = 4096;
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(2);

    private readonly IReadOnlyList<string> _command;
    private readonly bool _dynamicWeight;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly TimeProvider _time;
    private readonly string _what;

    public ExecProbe(IReadOnlyList<string> command, TimeSpan timeout, bool dynamicWeight, IReadOnlyDictionary<string, string> environment,
        TimeProvider time)
    {
        if (command.Count == 0)
        {
            throw new ArgumentException("An exec check needs a command.", nameof(command));
        }

        _command = command;
        _dynamicWeight = dynamicWeight;
        _environment = environment;
        _time = time;
        Timeout = timeout;
        _what = "exec " + string.Join(' ', command);
    }

    public TimeSpan Timeout { get; }

    public async ValueTask<ProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(_command[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        for (var i = 1; i < _command.Count; i++)
        {
            start.ArgumentList.Add(_command[i]);
        }

        foreach (var (name, value) in _environment)
        {
            start.Environment[name] = value;
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            return ProbeResult.Fail($"{_what} failed to start: {ProbeText.FirstLine(e.Message)}");
        }

        process.StandardInput.Close();
        using var drainCancel = new CancellationTokenSource();
        var stdout = DrainAsync(process.StandardOutput.BaseStream, drainCancel.Token);
        var stderr = DrainAsync(process.StandardError.BaseStream, drainCancel.Token);
        using var timeout = new CancellationTokenSource(Timeout, _time);
        using var link = cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync(process);
            drainCancel.Cancel();
            await Task.WhenAll(stdout, stderr);
            return ProbeResult.Fail(cancellationToken.IsCancellationRequested
                ? _what + " cancelled, killed"
                : $"{_what} timed out after {ProbeText.Duration(Timeout)}, killed");
        }

        // Children that inherited the pipes may keep them open: read what is there, but not for long.
        drainCancel.CancelAfter(TimeSpan.FromMilliseconds(200));
        var output = await stderr is { Length: > 0 } err ? err : await stdout;
        var said = output.Length > 0 ? ": " + ProbeText.FirstLine(output) : string.Empty;
        var code = process.ExitCode;
        var codeText = code.ToString(CultureInfo.InvariantCulture);
        if (code == 0)
        {
            return ProbeResult.Pass($"{_what} exit 0{said}");
        }

        if (_dynamicWeight && code is >= 2 and <= 255)
        {
            return ProbeResult.Pass($"{_what} exit {codeText} (weight {code - 2}){said}", code - 2);
        }

        return ProbeResult.Fail($"{_what} exit {codeText}{said}");
    }

    private async Task KillAsync(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            using var grace = new CancellationTokenSource(KillGrace, _time);
            await process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            // Unkillable (D state): leave it, the check has its answer.
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }
        catch (Win32Exception)
        {
            // Exited meanwhile, or not ours to kill any more.
        }
    }

    private static async Task<string> DrainAsync(Stream stream, CancellationToken cancellationToken)
    {
        var kept = new MemoryStream();
        var buffer = new byte[1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                var room = MaxOutputBytes - (int)kept.Length;
                if (room > 0)
                {
                    kept.Write(buffer, 0, Math.Min(room, read));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        return Encoding.UTF8.GetString(kept.GetBuffer(), 0, (int)kept.Length);
    }
}
