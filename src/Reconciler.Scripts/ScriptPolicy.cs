namespace Reconciler.Scripts;

/// <summary>
/// How commands from the topology run (keepalived's <c>script_user</c> and <c>enable_script_security</c>, always on).
/// The user defaults to keepalived's own default script user, <c>keepalived_script</c>, when that account exists (a
/// director migrated from keepalived keeps the account its scripts were written for); otherwise <c>nobody</c>.
/// keepalived falls back to root; here root is only ever an explicit choice (<see cref="RunAsRoot"/>).
/// </summary>
public sealed record ScriptPolicy
{
    public const string KeepalivedScriptUser = "keepalived_script";

    public const string FallbackUser = "nobody";

    /// <summary>systemd's default PATH for services: what keepalived's scripts see when it runs as a unit.</summary>
    public const string DefaultSearchPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>Per stream: a check's verdict is its exit code, and its first line is all a detail quotes.</summary>
    public const int DefaultOutputLimitBytes = 4096;

    /// <summary>Commands running at once, all kinds together. keepalived has no cap; 32 leaves room for exec checks on
    /// dozens of real servers (each run takes milliseconds) while a topology whose checks all hang holds at most 32
    /// processes, not one per check per interval.</summary>
    public const int DefaultMaxConcurrent = 32;

    /// <summary>The account commands run as; null: <c>keepalived_script</c> if it exists, else <c>nobody</c>.</summary>
    public string? User { get; init; }

    /// <summary>Run commands as root (the agent's own user). An explicit opt-in; <see cref="User"/> must then be unset.</summary>
    public bool RunAsRoot { get; init; }

    public int OutputLimitBytes { get; init; } = DefaultOutputLimitBytes;

    public int MaxConcurrent { get; init; } = DefaultMaxConcurrent;

    /// <summary>The only PATH commands see, and where a bare program name is looked up.</summary>
    public string SearchPath { get; init; } = DefaultSearchPath;
}
