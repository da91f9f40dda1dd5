namespace Reconciler.GitSource.Source;

/// <summary>
/// Checks git settings before anything touches the network, and reports every problem at once (as YARP's
/// <c>ConfigValidator</c> does), each starting with the setting it is about: the URL (<see cref="RepositoryUrl"/>'s
/// rules; no credentials in an http(s) URL), the branch, revision and path, the files named (when
/// <c>fileExists</c> is given), and the combinations: a token or user for https:// only, one token source, a user
/// with a token, key and known_hosts together and for ssh:// only, both required for ssh://; OpenPGP fingerprints
/// that are whole fingerprints, and pinned whenever a gpg home is given.
/// Used by the CLI's git options and the agent's settings reader alike.
/// </summary>
public static class GitSettingsValidator
{
    private const string HostKeysWhy = "host keys are verified, never trusted on first use";

    /// <summary>Every error in <paramref name="settings"/>; empty when they are usable.</summary>
    public static IReadOnlyList<GitSettingError> Validate(GitSettings settings, GitSettingNames names, Func<string, bool>? fileExists = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(names);
        var errors = new List<GitSettingError>();
        void Add(GitSetting setting, string message) => errors.Add(new GitSettingError(setting, $"{names.Where(setting)}: {message}"));
        bool Given(GitSetting setting) => settings[setting] is not null;

        var scheme = CheckUrl(settings.Url, names, Add);

        if (settings.Rev is { } rev)
        {
            Report(GitSetting.Rev, RevisionNames.RevProblem(rev));
        }
        else if (settings.Branch is { } branch)
        {
            Report(GitSetting.Branch, RevisionNames.BranchProblem(branch));
        }

        if (settings.Path is { } path)
        {
            Report(GitSetting.Path, RevisionNames.PathProblem(path));
        }

        if (fileExists is not null)
        {
            foreach (var file in (GitSetting[])[GitSetting.TokenFile, GitSetting.SshKeyFile, GitSetting.KnownHostsFile, GitSetting.AllowedSignersFile])
            {
                if (settings[file] is { } name && !fileExists(name))
                {
                    Add(file, $"file '{name}' does not exist");
                }
            }
        }

        var fingerprints = Signing.SignaturePolicy.SplitFingerprints(settings.GpgFingerprints);
        foreach (var fingerprint in fingerprints.Where(f => !Signing.SignaturePolicy.IsFingerprint(f)))
        {
            Add(GitSetting.GpgFingerprints, $"'{fingerprint}' is not a full OpenPGP fingerprint (40 or 64 hex digits, as 'gpg --with-colons --fingerprint' prints it)");
        }

        if (Given(GitSetting.GpgHome) && fingerprints.Count == 0)
        {
            Add(GitSetting.GpgFingerprints, $"required with {names.Name(GitSetting.GpgHome)}: OpenPGP signatures are accepted from pinned key fingerprints only, never any key in the keyring");
        }

        if (Given(GitSetting.TokenFile) && Given(GitSetting.TokenEnvironmentVariable))
        {
            Add(GitSetting.TokenEnvironmentVariable, $"give the https token with {names.Name(GitSetting.TokenFile)} or {names.Name(GitSetting.TokenEnvironmentVariable)}, not both");
        }

        if (Given(GitSetting.SshKeyFile) && !Given(GitSetting.KnownHostsFile))
        {
            Add(GitSetting.KnownHostsFile, $"required with {names.Name(GitSetting.SshKeyFile)} ({HostKeysWhy})");
        }
        else if (Given(GitSetting.KnownHostsFile) && !Given(GitSetting.SshKeyFile))
        {
            Add(GitSetting.SshKeyFile, $"required with {names.Name(GitSetting.KnownHostsFile)}");
        }

        // The rest depends on the scheme, unknown when the URL is missing or invalid (already reported).
        if (scheme is UrlScheme.Https)
        {
            if (Given(GitSetting.User) && !Given(GitSetting.TokenFile) && !Given(GitSetting.TokenEnvironmentVariable))
            {
                Add(GitSetting.User, $"needs a token ({names.Name(GitSetting.TokenFile)} or {names.Name(GitSetting.TokenEnvironmentVariable)})");
            }
        }
        else if (scheme is not null)
        {
            foreach (var https in (GitSetting[])[GitSetting.User, GitSetting.TokenFile, GitSetting.TokenEnvironmentVariable])
            {
                if (Given(https))
                {
                    Add(https, "applies to https:// repositories only");
                }
            }
        }

        if (scheme is UrlScheme.Ssh)
        {
            if (!Given(GitSetting.SshKeyFile) && !Given(GitSetting.KnownHostsFile))
            {
                Add(GitSetting.SshKeyFile, $"required for an ssh:// repository, with {names.Name(GitSetting.KnownHostsFile)} ({HostKeysWhy})");
            }
        }
        else if (scheme is not null)
        {
            foreach (var ssh in (GitSetting[])[GitSetting.SshKeyFile, GitSetting.KnownHostsFile])
            {
                if (Given(ssh))
                {
                    Add(ssh, "applies to ssh:// repositories only");
                }
            }
        }

        return errors;

        void Report(GitSetting setting, string? problem)
        {
            if (problem is not null)
            {
                Add(setting, problem);
            }
        }
    }

    /// <summary>The URL's scheme; null (after reporting why) when it is missing or invalid.</summary>
    private static UrlScheme? CheckUrl(string? url, GitSettingNames names, Action<GitSetting, string> add)
    {
        if (string.IsNullOrEmpty(url))
        {
            add(GitSetting.Url, $"required ({names.HowToGiveUrl})");
            return null;
        }

        if (HasUserInfo(url) && (url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
        {
            // Said without the URL: it holds a secret.
            add(GitSetting.Url, $"credentials in the URL are refused (they would end up in logs); use {names.Name(GitSetting.TokenFile)} or {names.Name(GitSetting.TokenEnvironmentVariable)}");
            return null;
        }

        try
        {
            return RepositoryUrl.Parse(url).Scheme;
        }
        catch (GitSourceException e)
        {
            add(GitSetting.Url, e.Message);
            return null;
        }
    }

    private static bool HasUserInfo(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            return false;
        }

        var rest = url[(schemeEnd + 3)..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return (slash < 0 ? rest : rest[..slash]).Contains('@', StringComparison.Ordinal);
    }
}
