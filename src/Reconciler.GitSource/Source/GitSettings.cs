using Reconciler.GitSource.Signing;

namespace Reconciler.GitSource.Source;

/// <summary>One git setting, whatever it is called where it was given (a CLI option, an agent key).</summary>
public enum GitSetting
{
    Url,
    Branch,
    Rev,
    Path,
    User,
    TokenFile,
    TokenEnvironmentVariable,
    SshKeyFile,
    KnownHostsFile,
    AllowedSignersFile,
    GpgHome,
    GpgFingerprints,
}

/// <summary>
/// The git settings as the user gave them (the CLI's options, the agent's <c>repository:*</c> keys), unchecked:
/// <see cref="GitSettingsValidator"/> reports what is wrong with them, <see cref="ToOptions"/> turns valid ones into
/// <see cref="GitSourceOptions"/>. Secrets are never values here, only where to read them from.
/// </summary>
public sealed record GitSettings
{
    public string? Url { get; init; }

    public string? Branch { get; init; }

    public string? Rev { get; init; }

    public string? Path { get; init; }

    public string? User { get; init; }

    public string? TokenFile { get; init; }

    public string? TokenEnvironmentVariable { get; init; }

    public string? SshKeyFile { get; init; }

    public string? KnownHostsFile { get; init; }

    public string? AllowedSignersFile { get; init; }

    /// <summary>The gpg home folder whose keyring verifies OpenPGP signatures (default: gpg's own).</summary>
    public string? GpgHome { get; init; }

    /// <summary>The OpenPGP key fingerprints whose signatures are accepted, separated by commas or spaces.</summary>
    public string? GpgFingerprints { get; init; }

    /// <summary>The value of <paramref name="setting"/>, null when not given.</summary>
    public string? this[GitSetting setting] => setting switch
    {
        GitSetting.Url => Url,
        GitSetting.Branch => Branch,
        GitSetting.Rev => Rev,
        GitSetting.Path => Path,
        GitSetting.User => User,
        GitSetting.TokenFile => TokenFile,
        GitSetting.TokenEnvironmentVariable => TokenEnvironmentVariable,
        GitSetting.SshKeyFile => SshKeyFile,
        GitSetting.KnownHostsFile => KnownHostsFile,
        GitSetting.AllowedSignersFile => AllowedSignersFile,
        GitSetting.GpgHome => GpgHome,
        GitSetting.GpgFingerprints => GpgFingerprints,
        _ => throw new ArgumentOutOfRangeException(nameof(setting), setting, null),
    };

    /// <summary>The source options for settings <see cref="GitSettingsValidator"/> found no error in.</summary>
    public GitSourceOptions ToOptions(string stateDirectory)
    {
        ArgumentNullException.ThrowIfNull(stateDirectory);
        return new GitSourceOptions
        {
            Url = Url ?? throw new InvalidOperationException("no repository URL"),
            Branch = Branch ?? "main",
            Path = GitTopologyReader.NormalizePath(Path),
            Rev = Rev,
            StateDirectory = stateDirectory,
            Credentials = User is null && TokenFile is null && TokenEnvironmentVariable is null
                ? null
                : new HttpsCredentials { User = User, TokenFile = TokenFile, TokenEnvironmentVariable = TokenEnvironmentVariable },
            Ssh = SshKeyFile is not null && KnownHostsFile is not null ? new SshSettings(SshKeyFile, KnownHostsFile) : null,
            Signatures = SignaturePolicy.Of(AllowedSignersFile, GpgHome, SignaturePolicy.ParseFingerprints(GpgFingerprints)),
        };
    }
}

/// <summary>
/// How the settings are called where they were given, for messages: <see cref="Where"/> names a setting with where
/// its value came from (<c>repository:tokenFile (from /etc/reconciler/agent.json)</c>) and starts its errors;
/// <see cref="Name"/> is the bare name, for mentions inside a message; <see cref="HowToGiveUrl"/> ends the error
/// for a missing URL.
/// </summary>
public sealed class GitSettingNames(Func<GitSetting, string> name, Func<GitSetting, string> where, string howToGiveUrl)
{
    /// <summary>The options of the <c>reconciler</c> commands.</summary>
    public static GitSettingNames CommandLine { get; } = new(OptionOf, OptionOf, "pass --repo URL");

    public string Name(GitSetting setting) => name(setting);

    public string Where(GitSetting setting) => where(setting);

    public string HowToGiveUrl { get; } = howToGiveUrl;

    private static string OptionOf(GitSetting setting) => setting switch
    {
        GitSetting.Url => "--repo",
        GitSetting.Branch => "--branch",
        GitSetting.Rev => "--rev",
        GitSetting.Path => "--path",
        GitSetting.User => "--user",
        GitSetting.TokenFile => "--token-file",
        GitSetting.TokenEnvironmentVariable => "--token-env",
        GitSetting.SshKeyFile => "--ssh-key",
        GitSetting.KnownHostsFile => "--known-hosts",
        GitSetting.AllowedSignersFile => "--allowed-signers",
        GitSetting.GpgHome => "--gpg-home",
        GitSetting.GpgFingerprints => "--gpg-fingerprints",
        _ => throw new ArgumentOutOfRangeException(nameof(setting), setting, null),
    };
}

/// <summary>One thing wrong with the git settings: which setting, and the whole message (which starts with it).</summary>
public sealed record GitSettingError(GitSetting Setting, string Message)
{
    public override string ToString() => Message;
}
