using Reconciler.GitSource.Signing;

namespace Reconciler.GitSource.Source;

/// <summary>
/// Where the topology lives and how to fetch it. <see cref="Url"/> is validated by <see cref="RepositoryUrl.Parse"/>;
/// secrets never appear here as values, only as where to read them from (<see cref="Credentials"/>).
/// </summary>
public sealed record GitSourceOptions
{
    /// <summary><c>file://</c>, an absolute local path, <c>git://</c>, <c>https://</c> (no user info in the URL) or <c>ssh://</c>.</summary>
    public required string Url { get; init; }

    /// <summary>Branch to follow; ignored when <see cref="Rev"/> is set.</summary>
    public string Branch { get; init; } = "main";

    /// <summary>Topology folder (or single file) inside the repository; "" or "." is the root.</summary>
    public string Path { get; init; } = "";

    /// <summary>Pin: a full commit sha, a tag or a branch name. A full sha never moves; a tag or branch is followed.</summary>
    public string? Rev { get; init; }

    /// <summary>Folder for the bare-clone cache (<c>StateDirectory/git/&lt;hash of URL&gt;.git</c>) and the source state.</summary>
    public required string StateDirectory { get; init; }

    /// <summary>HTTPS user and token, read from a file or an environment variable at fetch time.</summary>
    public HttpsCredentials? Credentials { get; init; }

    /// <summary>SSH key and known_hosts files (ssh:// only).</summary>
    public SshSettings? Ssh { get; init; }

    /// <summary>Refuses commits that remove too many services at once.</summary>
    public SafetyLimit Safety { get; init; } = SafetyLimit.Default;

    /// <summary>Accept a new tip that does not descend from the last applied commit (a force-push, a rollback).
    /// Off by default: such a tip is rejected (<see cref="RejectionKind.NotFastForward"/>) and the last good topology
    /// stays, unless the operator accepts that one commit (<see cref="TipAcceptance"/>). A pinned full sha
    /// (<see cref="Rev"/>) is the operator's own choice and is never checked.</summary>
    public bool AllowNonFastForward { get; init; }

    /// <summary>Signed-commit policy; off by default.</summary>
    public SignaturePolicy Signatures { get; init; } = SignaturePolicy.Off;

    /// <summary>Backoff after an unreachable server.</summary>
    public BackoffPolicy Backoff { get; init; } = BackoffPolicy.Default;

    /// <summary>Limits for the YAML loader.</summary>
    public Topology.Loading.TopologyLoaderOptions Loader { get; init; } = Topology.Loading.TopologyLoaderOptions.Default;

    /// <summary>The ref followed: <c>refs/heads/BRANCH</c>, or what <see cref="Rev"/> names.</summary>
    internal string Describe() => Rev is null ? $"branch {Branch}" : $"rev {Rev}";
}

/// <summary>HTTPS basic credentials. The token comes from <see cref="TokenFile"/> or <see cref="TokenEnvironmentVariable"/>
/// (exactly one); the user name likewise, or <see cref="User"/> (a user name is not a secret).</summary>
public sealed record HttpsCredentials
{
    public string? User { get; init; }

    public string? UserFile { get; init; }

    public string? TokenFile { get; init; }

    public string? TokenEnvironmentVariable { get; init; }

    /// <summary>Reads the secret now (so a rotated token is picked up at the next fetch).</summary>
    internal (string User, string Token) Read()
    {
        string token;
        if (TokenFile is not null)
        {
            try
            {
                token = File.ReadAllText(TokenFile).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new GitSourceException(GitSourceError.Configuration, $"cannot read the token file {TokenFile}: {e.Message}");
            }
        }
        else if (TokenEnvironmentVariable is not null)
        {
            token = Environment.GetEnvironmentVariable(TokenEnvironmentVariable)?.Trim()
                ?? throw new GitSourceException(GitSourceError.Configuration, $"the environment variable {TokenEnvironmentVariable} is not set");
        }
        else
        {
            throw new GitSourceException(GitSourceError.Configuration, "HTTPS credentials need a token file or a token environment variable");
        }

        if (token.Length == 0)
        {
            throw new GitSourceException(GitSourceError.Configuration, "the HTTPS token is empty");
        }

        var user = User;
        if (UserFile is not null)
        {
            try
            {
                user = File.ReadAllText(UserFile).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new GitSourceException(GitSourceError.Configuration, $"cannot read the user file {UserFile}: {e.Message}");
            }
        }

        // Token-only hosts (GitHub, GitLab) accept any non-empty user with a token as password.
        return (string.IsNullOrEmpty(user) ? "x-access-token" : user, token);
    }
}

/// <summary>SSH key and known_hosts, both files; host keys are checked strictly (no trust on first use).
/// <paramref name="Program"/> is the ssh client (an absolute path, or <c>ssh</c> found on PATH).</summary>
public sealed record SshSettings(string PrivateKeyFile, string KnownHostsFile, string Program = "ssh");
