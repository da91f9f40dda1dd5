using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Reconciler.Topology.Model;

namespace Reconciler.Linux.Vrrp;

/// <summary>
/// keepalived's <c>vrrp_script</c>: runs a command (no shell) every interval, kills it (process tree) on timeout,
/// and reports up / down after <c>rise</c> consecutive successes or <c>fall</c> consecutive failures. The first
/// result decides at once (keepalived likewise leaves its init state on the first result). Exit 0 is success.
/// </summary>
public sealed class VrrpCheckRunner : IAsyncDisposable
{
    private readonly TrackedCheck _check;
    private readonly Action<string, bool> _report;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private int _successes;
    private int _failures;

    public VrrpCheckRunner(TrackedCheck check, Action<string, bool> report, ILogger logger, TimeProvider? time = null)
    {
        _check = check ?? throw new ArgumentNullException(nameof(check));
        _report = report;
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    public string Name => _check.Name;

    /// <summary>Null until the first result.</summary>
    public bool? IsUp { get; private set; }

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var interval = _check.Interval > TimeSpan.Zero ? _check.Interval : TimeSpan.FromSeconds(1);
        while (!stop.IsCancellationRequested)
        {
            var started = _time.GetTimestamp();
            bool ok = await RunOnceAsync(stop);
            if (stop.IsCancellationRequested)
            {
                return;
            }

            Record(ok);
            var wait = interval - _time.GetElapsedTime(started);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, stop);
            }
        }
    }

    private void Record(bool ok)
    {
        if (ok)
        {
            _successes++;
            _failures = 0;
        }
        else
        {
            _failures++;
            _successes = 0;
        }

        bool? next = IsUp switch
        {
            null => ok,
            false when _successes >= Math.Max(1, _check.Rise) => true,
            true when _failures >= Math.Max(1, _check.Fall) => false,
            _ => IsUp,
        };
        if (next != IsUp)
        {
            IsUp = next;
            _logger.LogInformation("VRRP check {Check} is now {State}", _check.Name, next == true ? "UP" : "DOWN");
            _report(_check.Name, next!.Value);
        }
    }

    private async Task<bool> RunOnceAsync(CancellationToken stop)
    {
        if (_check.Command.Count == 0)
        {
            return false;
        }

        var start = new ProcessStartInfo(_check.Command[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in _check.Command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
            process.StandardInput.Close();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }

        var drainOut = process.StandardOutput.ReadToEndAsync(stop);
        var drainErr = process.StandardError.ReadToEndAsync(stop);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(_check.Timeout > TimeSpan.Zero ? _check.Timeout : interval());
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return process.ExitCode == 0;
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }

            if (!stop.IsCancellationRequested)
            {
                _logger.LogWarning("VRRP check {Check} timed out after {Timeout}, killed", _check.Name, _check.Timeout);
            }

            return false;
        }
        finally
        {
            _ = drainOut.ContinueWith(static _ => { }, TaskScheduler.Default);
            _ = drainErr.ContinueWith(static _ => { }, TaskScheduler.Default);
        }

        TimeSpan interval() => _check.Interval > TimeSpan.Zero ? _check.Interval : TimeSpan.FromSeconds(1);
    }
}
