using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Reconciler.Linux.Native;
using Reconciler.Scripts;

namespace Reconciler.Linux.Scripts;

/// <summary>
/// The one runner of commands from the topology (exec checks, tracked scripts, notify hooks), as keepalived runs
/// them with <c>script_user</c> and <c>enable_script_security</c>: no shell; as the policy's user (never root unless
/// opted into); only a program no non-root user can change (<see cref="ScriptPathCheck"/>); with only <c>PATH</c> and
/// the request's own variables in its environment (no token, key path or <c>RECONCILER_*</c> of the agent's); in a
/// process group of its own (started through util-linux's <c>setsid</c>, so the pid is the group), which the timeout
/// kills whole as keepalived kills <c>-pgid</c>; with every signal at its default disposition (through coreutils'
/// <c>env --default-signal</c>: .NET ignores SIGPIPE, and children would inherit that, unlike keepalived's scripts); at most <see cref="ScriptPolicy.OutputLimitBytes"/> of each stream
/// kept (the rest is read and dropped, so a chatty command neither blocks nor grows the agent); and at most
/// <see cref="ScriptPolicy.MaxConcurrent"/> at once, a waiting request's wait counting against its timeout.
/// </summary>
public sealed class ScriptRunner : IScriptRunner, IDisposable
{
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(2);

    /// <summary>Children that inherited the pipes may keep them open after the command exits: read what is there,
    /// but not for long.</summary>
    private static readonly TimeSpan OutputGraceAfterExit = TimeSpan.FromMilliseconds(200);

    private readonly ScriptPolicy _policy;
    private readonly string? _userName;
    private readonly string _setsid;
    private readonly string _env;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _slots;

    private ScriptRunner(ScriptPolicy policy, string? userName, string runsAs, (string Setsid, string Env) launchers, TimeProvider time)
    {
        _policy = policy;
        _userName = userName;
        (_setsid, _env) = launchers;
        _time = time;
        _slots = new SemaphoreSlim(policy.MaxConcurrent, policy.MaxConcurrent);
        RunsAs = runsAs;
    }

    /// <summary><c>nobody (uid 65534)</c>: whom commands run as, for the log.</summary>
    public string RunsAs { get; }

    public ScriptPolicy Policy => _policy;

    /// <summary>A runner for <paramref name="policy"/>; a <see cref="ScriptPolicyException"/> names what is wrong (no
    /// such user, root without the opt-in, no setsid).</summary>
    public static ScriptRunner Create(ScriptPolicy policy, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.MaxConcurrent < 1)
        {
            throw new ScriptPolicyException($"scripts:maxConcurrent must be at least 1, not {policy.MaxConcurrent}");
        }

        if (policy.OutputLimitBytes < 0)
        {
            throw new ScriptPolicyException($"the output limit of commands must not be negative ({policy.OutputLimitBytes})");
        }

        var setsid = Search("setsid", policy.SearchPath)
            ?? throw new ScriptPolicyException($"setsid (util-linux) is not in {policy.SearchPath}: commands from the topology run in a process group of their own, started by it, so that a timeout kills all of a command");
        var env = Search("env", policy.SearchPath)
            ?? throw new ScriptPolicyException($"env (coreutils) is not in {policy.SearchPath}: commands from the topology start through it, with every signal at its default");
        if ((ScriptPathCheck.WhyRefused(setsid) ?? ScriptPathCheck.WhyRefused(env)) is { } unsafeLauncher)
        {
            throw new ScriptPolicyException(unsafeLauncher);
        }

        if (policy.RunAsRoot)
        {
            if (policy.User is { } named && named is not ("root" or "0") && ProcessNative.LookUpUser(named) is not { Uid: 0 })
            {
                throw new ScriptPolicyException($"scripts:runAsRoot and scripts:user = \"{named}\" contradict each other: set one");
            }

            return new ScriptRunner(policy, userName: null, "root (scripts:runAsRoot)", (setsid, env), time ?? TimeProvider.System);
        }

        var name = policy.User
            ?? (ProcessNative.LookUpUser(ScriptPolicy.KeepalivedScriptUser) is null ? ScriptPolicy.FallbackUser : ScriptPolicy.KeepalivedScriptUser);
        var account = ProcessNative.LookUpUser(name)
            ?? throw new ScriptPolicyException($"the script user \"{name}\" does not exist: create it, or name another with scripts:user");
        if (account.Uid == 0)
        {
            throw new ScriptPolicyException($"the script user \"{name}\" is root (uid 0): to run commands from the topology as root, say so with scripts:runAsRoot");
        }

        var runsAs = string.Create(CultureInfo.InvariantCulture, $"{name} (uid {account.Uid}, gid {account.Gid})");
        return new ScriptRunner(policy, name, runsAs, (setsid, env), time ?? TimeProvider.System);
    }

    public async ValueTask<ScriptResult> RunAsync(ScriptRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Command.Count == 0 || request.Command[0].Length == 0)
        {
            return ScriptResult.Refuse("an empty command");
        }

        var program = request.Command[0];
        if (!program.Contains('/', StringComparison.Ordinal))
        {
            program = Search(program, _policy.SearchPath) ?? string.Empty;
            if (program.Length == 0)
            {
                return ScriptResult.NotStarted($"{request.Command[0]}: not found in {_policy.SearchPath}");
            }
        }
        else if (!Path.IsPathFullyQualified(program))
        {
            return ScriptResult.Refuse($"{program}: refused, a relative path (write it from /)");
        }
        else if (program.Contains('=', StringComparison.Ordinal))
        {
            return ScriptResult.Refuse($"{program}: refused, a program path with '=' in it");
        }
        else if (!File.Exists(program))
        {
            return ScriptResult.NotStarted($"{program}: no such file");
        }

        if (ScriptPathCheck.WhyRefused(program) is { } refusal)
        {
            return ScriptResult.Refuse(refusal);
        }

        using var deadline = new CancellationTokenSource(request.Timeout, _time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            await _slots.WaitAsync(either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return cancellationToken.IsCancellationRequested
                ? new ScriptResult(ScriptOutcome.Cancelled, null, "", "", "cancelled before it started")
                : new ScriptResult(ScriptOutcome.TimedOut, null, "", "",
                    $"not started: {_policy.MaxConcurrent} commands (the most that run at once) were running for all of its {Describe(request.Timeout)} timeout");
        }

        try
        {
            return await RunStartedAsync(request, program, either.Token, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();

    private async Task<ScriptResult> RunStartedAsync(ScriptRequest request, string program, CancellationToken stop, CancellationToken cancelled)
    {
        var start = new ProcessStartInfo(_setsid)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        };
        if (_userName is not null)
        {
            start.UserName = _userName;
        }

        start.ArgumentList.Add(_env);
        start.ArgumentList.Add("--default-signal");
        start.ArgumentList.Add("--");
        start.ArgumentList.Add(program);
        for (var i = 1; i < request.Command.Count; i++)
        {
            start.ArgumentList.Add(request.Command[i]);
        }

        start.Environment.Clear();
        start.Environment["PATH"] = _policy.SearchPath;
        foreach (var (name, value) in request.Environment)
        {
            start.Environment[name] = value;
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException or PlatformNotSupportedException)
        {
            return ScriptResult.NotStarted($"{program} did not start: {e.Message}");
        }

        // setsid made the command the leader of a new session and process group, and it and env exec'd in place: the
        // command's pid is the group's id.
        int processGroup = process.Id;
        process.StandardInput.Close();
        using var stopReading = new CancellationTokenSource();
        var stdout = ReadCappedAsync(process.StandardOutput.BaseStream, _policy.OutputLimitBytes, stopReading.Token);
        var stderr = ReadCappedAsync(process.StandardError.BaseStream, _policy.OutputLimitBytes, stopReading.Token);
        try
        {
            await process.WaitForExitAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await KillAsync(process, processGroup).ConfigureAwait(false);
            await stopReading.CancelAsync().ConfigureAwait(false);
            var (killedOut, killedErr) = (await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
            return cancelled.IsCancellationRequested
                ? new ScriptResult(ScriptOutcome.Cancelled, null, killedOut, killedErr, "cancelled, killed")
                : new ScriptResult(ScriptOutcome.TimedOut, null, killedOut, killedErr, $"timed out after {Describe(request.Timeout)}, killed");
        }

        stopReading.CancelAfter(OutputGraceAfterExit);
        var output = await stdout.ConfigureAwait(false);
        var error = await stderr.ConfigureAwait(false);
        return new ScriptResult(ScriptOutcome.Exited, process.ExitCode, output, error, null);
    }

    private async Task KillAsync(Process process, int processGroup)
    {
        ProcessNative.KillProcessGroup(processGroup);
        try
        {
            // A descendant that left the group (its own setsid) is still found through the process tree.
            process.Kill(entireProcessTree: true);
            using var grace = new CancellationTokenSource(KillGrace, _time);
            await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Unkillable (D state): leave it, the caller has its answer.
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception)
        {
            // Exited meanwhile.
        }
    }

    /// <summary>Reads the stream to its end (or until cancelled) and keeps its first <paramref name="limit"/> bytes.</summary>
    private static async Task<string> ReadCappedAsync(Stream stream, int limit, CancellationToken cancellationToken)
    {
        var kept = new byte[limit];
        var length = 0;
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                var room = Math.Min(limit - length, read);
                if (room > 0)
                {
                    buffer.AsSpan(0, room).CopyTo(kept.AsSpan(length));
                    length += room;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }

        return Encoding.UTF8.GetString(kept, 0, length);
    }

    private static string? Search(string name, string searchPath)
    {
        foreach (var folder in searchPath.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, name);
            if (Path.IsPathFullyQualified(candidate) && File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string Describe(TimeSpan span) => Topology.Durations.Format(span);
}

/// <summary>A script policy that cannot be applied; the message says what to change.</summary>
public sealed class ScriptPolicyException(string message) : Exception(message);
