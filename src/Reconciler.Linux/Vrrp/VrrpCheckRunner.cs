using Microsoft.Extensions.Logging;
using Reconciler.Scripts;
using Reconciler.Topology.Model;

namespace Reconciler.Linux.Vrrp;

/// <summary>
/// keepalived's <c>vrrp_script</c>: runs a command through the agent's <see cref="IScriptRunner"/> every interval
/// (no shell, the script user, its process group killed on timeout; a refused command counts as a failure),
/// and reports up / down after <c>rise</c> consecutive successes or <c>fall</c> consecutive failures. The first
/// result decides at once (keepalived likewise leaves its init state on the first result). Exit 0 is success.
/// </summary>
public sealed class VrrpCheckRunner : IAsyncDisposable
{
    private readonly TrackedCheck _check;
    private readonly Action<string, bool> _report;
    private readonly IScriptRunner _scripts;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private int _successes;
    private int _failures;
    private string? _lastProblem;

    public VrrpCheckRunner(TrackedCheck check, Action<string, bool> report, IScriptRunner scripts, ILogger logger, TimeProvider? time = null)
    {
        _check = check ?? throw new ArgumentNullException(nameof(check));
        _report = report;
        _scripts = scripts ?? throw new ArgumentNullException(nameof(scripts));
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
        var interval = Interval;
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

        var timeout = _check.Timeout > TimeSpan.Zero ? _check.Timeout : Interval;
        var result = await _scripts.RunAsync(new ScriptRequest(_check.Command, timeout), stop).ConfigureAwait(false);
        var problem = result.Outcome switch
        {
            ScriptOutcome.Refused or ScriptOutcome.NotStarted => result.Error,
            ScriptOutcome.TimedOut => result.Error,
            _ => null,
        };
        if (problem is not null && !stop.IsCancellationRequested && problem != _lastProblem)
        {
            // Once per kind of problem, not every interval: a refused script stays refused until someone fixes it.
            _logger.LogWarning("VRRP check {Check}: {Problem}", _check.Name, problem);
        }

        _lastProblem = problem;
        return result.Succeeded;
    }

    private TimeSpan Interval => _check.Interval > TimeSpan.Zero ? _check.Interval : TimeSpan.FromSeconds(1);
}
