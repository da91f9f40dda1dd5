namespace Reconciler.Scripts;

/// <summary>How a run ended.</summary>
public enum ScriptOutcome
{
    /// <summary>The command ran and exited; <see cref="ScriptResult.ExitCode"/> says how.</summary>
    Exited,

    /// <summary>It overran its timeout (or found no free slot within it) and its process group was killed.</summary>
    TimedOut,

    /// <summary>The caller cancelled (the agent is stopping); its process group was killed.</summary>
    Cancelled,

    /// <summary>Never run: the policy forbids it (a path a non-root user can write, not a regular executable file,
    /// a relative path).</summary>
    Refused,

    /// <summary>Never run: the program is missing or the system refused to start it.</summary>
    NotStarted,
}

/// <summary>What came of a <see cref="ScriptRequest"/>. Output is what the command wrote, cut at
/// <see cref="ScriptPolicy.OutputLimitBytes"/> per stream.</summary>
public sealed record ScriptResult(ScriptOutcome Outcome, int? ExitCode, string StandardOutput, string StandardError, string? Error)
{
    public static ScriptResult Refuse(string error) => new(ScriptOutcome.Refused, null, "", "", error);

    public static ScriptResult NotStarted(string error) => new(ScriptOutcome.NotStarted, null, "", "", error);

    /// <summary>True when the command ran and exited 0.</summary>
    public bool Succeeded => Outcome == ScriptOutcome.Exited && ExitCode == 0;

    /// <summary>What the command said: its standard error if it wrote any, else its standard output.</summary>
    public string Said => StandardError.Length > 0 ? StandardError : StandardOutput;
}
