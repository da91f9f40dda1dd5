using System.Security.Cryptography;
using System.Text;
using LibGit2Sharp;
using LibGit2Sharp.Handlers;

namespace Reconciler.GitSource.Source;

/// <summary>
/// A bare clone of the topology repository in the state folder: <c>StateDirectory/git/&lt;hash of URL&gt;.git</c>.
/// Fetches are incremental (libgit2 negotiates what the cache already has); no work tree is ever written.
/// Not thread-safe: <see cref="GitTopologySource"/> serialises access.
/// </summary>
public sealed partial class GitMirror : IDisposable
{
    private const string RemoteName = "origin";
    private readonly GitSourceOptions _options;
    private string? _secret;

    private GitMirror(GitSourceOptions options, RepositoryUrl url, Repository repository, string directory)
    {
        _options = options;
        Url = url;
        Repository = repository;
        Directory = directory;
    }

    public RepositoryUrl Url { get; }

    /// <summary>The bare repository (read-only use outside this class).</summary>
    public Repository Repository { get; }

    public string Directory { get; }

    /// <summary>Opens (creating it if needed) the cache for <paramref name="options"/>. Throws
    /// <see cref="GitSourceException"/> for a bad URL, a refused ssh:// or an unusable state folder.</summary>
    public static GitMirror Open(GitSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var url = RepositoryUrl.Parse(options.Url);
        CheckRefNames(options);
        string? sshCommand = null;
        if (url.Scheme == UrlScheme.Ssh)
        {
            SshCommand.EnsureSafeLibgit2(Libgit2Version.Loaded);
            if (!OperatingSystem.IsLinux())
            {
                throw new GitSourceException(GitSourceError.Configuration, "ssh:// is supported on Linux only");
            }

            sshCommand = SshCommand.WriteWrapper(options.StateDirectory, options.Ssh ?? throw new GitSourceException(GitSourceError.Configuration, "ssh:// needs a key file and a known_hosts file"));
        }

        if (url.Scheme == UrlScheme.Https && options.Credentials is null && options.Ssh is not null)
        {
            throw new GitSourceException(GitSourceError.Configuration, "SSH settings given for an https:// URL");
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url.Value)))[..16];
        var directory = System.IO.Path.Combine(options.StateDirectory, "git", hash + ".git");
        try
        {
            if (!Repository.IsValid(directory))
            {
                System.IO.Directory.CreateDirectory(directory);
                Repository.Init(directory, isBare: true);
            }

            var repository = new Repository(directory);
            var remote = repository.Network.Remotes[RemoteName];
            if (remote is null)
            {
                repository.Network.Remotes.Add(RemoteName, url.Value, "+refs/heads/*:refs/remotes/origin/*");
            }
            else if (remote.Url != url.Value)
            {
                repository.Network.Remotes.Update(RemoteName, r => r.Url = url.Value);
            }

            if (sshCommand is not null)
            {
                repository.Config.Set("core.sshCommand", sshCommand);
            }
            else
            {
                repository.Config.Unset("core.sshCommand");
            }

            return new GitMirror(options, url, repository, directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or LibGit2SharpException)
        {
            throw new GitSourceException(GitSourceError.Cache, $"cannot open the git cache in {directory}: {e.Message}", e);
        }
    }

    private static void CheckRefNames(GitSourceOptions options)
    {
        var problem = (options.Rev is null ? RevisionNames.BranchProblem(options.Branch) : RevisionNames.RevProblem(options.Rev))
            ?? RevisionNames.PathProblem(options.Path);
        if (problem is not null)
        {
            throw new GitSourceException(GitSourceError.Configuration, problem);
        }
    }

    internal static bool IsFullSha(string text) => RevisionNames.IsFullSha(text);

    internal static bool IsAbbreviatedSha(string text) => RevisionNames.IsAbbreviatedSha(text);

    /// <summary>An <c>ls-remote</c>: every ref the server advertises, name to target sha (annotated tags peeled).</summary>
    public IReadOnlyDictionary<string, string> ListRemote()
    {
        var remote = Repository.Network.Remotes[RemoteName];
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var peeled = new Dictionary<string, string>(StringComparer.Ordinal);
        var credentials = Credentials();
        Guard(() =>
        {
            var references = credentials is null ? Repository.Network.ListReferences(remote) : Repository.Network.ListReferences(remote, credentials);
            foreach (var reference in references)
            {
                if (reference is not DirectReference direct)
                {
                    continue;
                }

                if (direct.CanonicalName.EndsWith("^{}", StringComparison.Ordinal))
                {
                    peeled[direct.CanonicalName[..^3]] = direct.TargetIdentifier;
                }
                else
                {
                    result[direct.CanonicalName] = direct.TargetIdentifier;
                }
            }
        });
        foreach (var (name, sha) in peeled)
        {
            result[name] = sha;
        }

        return result;
    }

    /// <summary>Fetches the given refspecs (only what the cache lacks travels).</summary>
    public void Fetch(IEnumerable<string> refspecs)
    {
        var options = new FetchOptions
        {
            CredentialsProvider = Credentials(),
            TagFetchMode = TagFetchMode.None,
            Prune = false,
        };
        Guard(() => Commands.Fetch(Repository, RemoteName, refspecs, options, "reconciler fetch"));
    }

    private CredentialsHandler? Credentials()
    {
        if (Url.Scheme != UrlScheme.Https || _options.Credentials is null)
        {
            return null;
        }

        var (user, token) = _options.Credentials.Read();
        _secret = token;
        return (url, _, _) => IsConfiguredOrigin(url)
            ? new UsernamePasswordCredentials { Username = user, Password = token }
            : throw new LibGit2SharpException(
                $"refused to send the https token to {OriginOf(url)}: it belongs to {OriginOf(Url.Value)} only (the server redirected to another origin)");
    }

    /// <summary>True when libgit2 asks credentials for the configured repository's origin (scheme, host and port,
    /// 443 when not written): a redirect to any other origin gets no token.</summary>
    internal bool IsConfiguredOrigin(string? url) =>
        OriginOf(url) is { } asked && string.Equals(asked, OriginOf(Url.Value), StringComparison.OrdinalIgnoreCase);

    /// <summary><c>https://host:port</c> of a URL; null when it is not an absolute https URL.</summary>
    internal static string? OriginOf(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps
            ? $"https://{uri.IdnHost}:{uri.Port}"
            : null;

    private void Guard(Action action)
    {
        try
        {
            action();
        }
        catch (LibGit2SharpException e)
        {
            throw new GitSourceException(GitSourceError.Unreachable, $"{RepositoryUrl.Redact(Url.Value)}: {Scrub(e.Message)}");
        }
    }

    /// <summary>Removes the token from a message of the native library, should it ever echo it.</summary>
    internal string Scrub(string message) =>
        string.IsNullOrEmpty(_secret) ? message : message.Replace(_secret, "***", StringComparison.Ordinal);

    public void Dispose() => Repository.Dispose();
}
