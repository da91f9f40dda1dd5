using System.Globalization;
using Reconciler.Scripts;

namespace Reconciler.Health.Probes;

/// <summary>
/// keepalived's MISC_CHECK: runs a command (no shell) through the agent's <see cref="IScriptRunner"/> (its user,
/// environment, output cap, process-group kill on timeout, concurrency cap and path check) and reads its exit code.
/// 0 is healthy, anything else unhealthy; with dynamic weight, an exit code 2..255 is healthy with weight
/// <c>code - 2</c> (and 0 resets the configured weight). The command learns its target from
/// <c>RECONCILER_SERVICE</c>, <c>RECONCILER_REAL_SERVER_ADDRESS</c> and <c>RECONCILER_REAL_SERVER_PORT</c> (the only
/// variables it gets besides <c>PATH</c>); the first line of its output (stderr first) is quoted in the detail.
/// </summary>
public sealed class ExecProbe : IHealthProbe, ISelfTimedProbe
{
    private readonly ScriptRequest _request;
    private readonly bool _dynamicWeight;
    private readonly IScriptRunner _scripts;
    private readonly string _what;

    public ExecProbe(IReadOnlyList<string> command, TimeSpan timeout, bool dynamicWeight, IReadOnlyDictionary<string, string> environment,
        IScriptRunner scripts)
    {
        if (command.Count == 0)
        {
            throw new ArgumentException("An exec check needs a command.", nameof(command));
        }

        _request = new ScriptRequest(command, timeout) { Environment = environment };
        _dynamicWeight = dynamicWeight;
        _scripts = scripts ?? throw new ArgumentNullException(nameof(scripts));
        Timeout = timeout;
        _what = "exec " + string.Join(' ', command);
    }

    public TimeSpan Timeout { get; }

    public async ValueTask<ProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        var result = await _scripts.RunAsync(_request, cancellationToken).ConfigureAwait(false);
        switch (result.Outcome)
        {
            case ScriptOutcome.Refused:
                return ProbeResult.Fail($"{_what} not run: {result.Error}");
            case ScriptOutcome.NotStarted:
                return ProbeResult.Fail($"{_what} failed to start: {ProbeText.FirstLine(result.Error ?? "")}");
            case ScriptOutcome.Cancelled:
                return ProbeResult.Fail(_what + " cancelled, killed");
            case ScriptOutcome.TimedOut:
                // "timed out after 5s, killed", or "not started: 32 commands ... were running for all of its 5s timeout".
                return ProbeResult.Fail($"{_what} {result.Error}");
        }

        var said = result.Said.Length > 0 ? ": " + ProbeText.FirstLine(result.Said) : string.Empty;
        var code = result.ExitCode ?? -1;
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
}
