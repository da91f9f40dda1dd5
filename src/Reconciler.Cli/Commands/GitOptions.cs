using System.CommandLine;
using System.CommandLine.Parsing;
using LibGit2Sharp;
using Reconciler.Cli.Output;
using Reconciler.GitSource.Signing;
using Reconciler.GitSource.Source;
using Reconciler.Topology.Diagnostics;
using Reconciler.Topology.Loading;

namespace Reconciler.Cli.Commands;

/// <summary>
/// The topology read from git, as the agent reads it: <c>--repo</c> (a file://, git://, https:// or ssh:// URL, or a
/// local path), the commit <c>--branch</c> points at or the one <c>--rev</c> pins, the topology under <c>--path</c>,
/// fetched into the bare-clone cache in the state folder and read from git objects (no work tree). Secrets are never
/// option values: the https token comes from a file or an environment variable, ssh keys from files.
/// Shared by validate, plan, apply (which load through it) and diff, history (which open a repository through it).
/// </summary>
internal sealed class GitOptions
{
    private const string BranchesRefspec = "+refs/heads/*:refs/remotes/origin/*";

    private const string TagsRefspec = "+refs/tags/*:refs/tags/*";

    public GitOptions(string? defaultRepository = null, bool includeRevision = true)
    {
        Repository = new Option<string?>("--repo")
        {
            Description = defaultRepository is null
                ? "Topology repository: file://, git://, https:// or ssh:// URL, or a local path (instead of -f)."
                : $"Repository: a local git repository (work tree or bare), or a file://, git://, https:// or ssh:// URL fetched into the cache in --state-dir (default {defaultRepository}).",
        };
        if (defaultRepository is not null)
        {
            Repository.DefaultValueFactory = _ => defaultRepository;
        }

        IncludesRevision = includeRevision;
    }

    public Option<string?> Repository { get; }

    public Option<string> Branch { get; } = new("--branch") { Description = "Branch to follow.", DefaultValueFactory = _ => "main" };

    public Option<string?> Path { get; } = new("--path") { Description = "Topology folder or file inside the repository (default: the root)." };

    public Option<string?> Revision { get; } = new("--rev") { Description = "Pin a commit (sha, full or abbreviated), tag or branch instead of following --branch." };

    public Option<string?> User { get; } = new("--user") { Description = "User name for https:// (default: any, for token-only hosts)." };

    public Option<string?> TokenFile { get; } = new("--token-file") { Description = "File holding the https:// token (never put a secret on the command line)." };

    public Option<string?> TokenEnvironment { get; } = new("--token-env") { Description = "Environment variable holding the https:// token." };

    public Option<string?> SshKey { get; } = new("--ssh-key") { Description = "Private key file for ssh:// (with --known-hosts)." };

    public Option<string?> KnownHosts { get; } = new("--known-hosts") { Description = "known_hosts file for ssh:// (host keys are checked strictly)." };

    public Option<string?> AllowedSigners { get; } = new("--allowed-signers") { Description = "Accept only a commit whose SSH signature verifies against this allowed-signers file." };

    private bool IncludesRevision { get; }

    public void AddTo(Command command)
    {
        command.Options.Add(Repository);
        command.Options.Add(Branch);
        command.Options.Add(Path);
        if (IncludesRevision)
        {
            command.Options.Add(Revision);
        }

        command.Options.Add(User);
        command.Options.Add(TokenFile);
        command.Options.Add(TokenEnvironment);
        command.Options.Add(SshKey);
        command.Options.Add(KnownHosts);
        command.Options.Add(AllowedSigners);
    }

    /// <summary>Makes <paramref name="files"/> and <c>--repo</c> exclusive on <paramref name="command"/>: one source only
    /// (and, when <paramref name="required"/>, exactly one).</summary>
    public void ExclusiveWith(Command command, Func<CommandResult, bool> files, string filesName, bool required)
    {
        command.Validators.Add(result =>
        {
            var fromGit = result.GetValue(Repository) is not null;
            var fromFiles = files(result);
            if (fromGit && fromFiles)
            {
                result.AddError($"{filesName} and --repo are mutually exclusive: read the topology from files or from git, not both");
            }
            else if (required && !fromGit && !fromFiles)
            {
                result.AddError($"no topology: pass {filesName} or --repo URL");
            }
        });
    }

    public bool IsGiven(ParseResult parse) => parse.GetValue(Repository) is not null;

    /// <summary>What to read history from in an opened repository: <c>--rev</c>, else <c>--branch</c> when given (or
    /// when reading the cache of a URL), else the repository's HEAD.</summary>
    public string FollowedRevision(ParseResult parse, OpenedRepository opened)
    {
        if (IncludesRevision && parse.GetValue(Revision) is { } revision)
        {
            return opened.Qualify(revision);
        }

        return opened.IsCache || parse.GetResult(Branch) is { Implicit: false }
            ? opened.Qualify(parse.GetRequiredValue(Branch))
            : "HEAD";
    }

    /// <summary>
    /// Fetches what the cache lacks, resolves the commit, verifies its signature when <c>--allowed-signers</c> is
    /// given, and loads the topology at it (every diagnostic located at its path in the repository). Null when the
    /// source could not be read at all (bad options, unreachable server, unknown revision): the one-line reason is
    /// printed already.
    /// </summary>
    public GitTopology? Load(ParseResult parse, string stateDirectory)
    {
        try
        {
            var options = SourceOptions(parse, stateDirectory);
            using var mirror = GitMirror.Open(options);
            var commit = Resolve(mirror, options);
            var result = GitTopologyReader.Load(commit, options.Path, options.Loader);
            if (options.Signatures.Required)
            {
                var verdict = new SignatureVerifier(options.Signatures).Verify(mirror.Repository, commit.Id);
                if (!verdict.Verified)
                {
                    result = new TopologyLoadResult(null, [Diagnostic.Error("signature", $"commit {commit.Sha}: {verdict.Detail}", null), .. result.Diagnostics]);
                }
            }

            return new GitTopology(CommitInfo.Of(commit), result, Describe(options));
        }
        catch (GitSourceException e)
        {
            Fail(e, stateDirectory);
            return null;
        }
        catch (LibGit2SharpException e)
        {
            Terminal.Fail($"git: {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// A repository to read history from: a local path is opened as it is (work tree or bare, no cache; its HEAD and
    /// refs as they are); a URL is fetched into the cache (every branch and tag). Null after printing why not.
    /// </summary>
    public OpenedRepository? Open(ParseResult parse, string stateDirectory)
    {
        var value = parse.GetValue(Repository) ?? ".";
        try
        {
            if (!value.Contains("://", StringComparison.Ordinal))
            {
                var discovered = LibGit2Sharp.Repository.Discover(value)
                    ?? throw new GitSourceException(GitSourceError.Configuration, $"{value} is not in a git repository");
                return new OpenedRepository(new LibGit2Sharp.Repository(discovered), null);
            }

            var mirror = GitMirror.Open(SourceOptions(parse, stateDirectory));
            try
            {
                mirror.Fetch([BranchesRefspec, TagsRefspec]);
                return new OpenedRepository(mirror.Repository, mirror);
            }
            catch
            {
                mirror.Dispose();
                throw;
            }
        }
        catch (GitSourceException e)
        {
            Fail(e, stateDirectory);
            return null;
        }
        catch (LibGit2SharpException e)
        {
            Terminal.Fail($"git: {e.Message}");
            return null;
        }
    }

    /// <summary>The options as the git source takes them; a combination that cannot work is refused here, before
    /// any network, with the option names the user typed.</summary>
    private GitSourceOptions SourceOptions(ParseResult parse, string stateDirectory)
    {
        var repository = parse.GetValue(Repository) ?? throw Usage("no repository: pass --repo URL");
        var url = repository.Contains("://", StringComparison.Ordinal) ? repository : System.IO.Path.GetFullPath(repository);
        var scheme = RepositoryUrl.Parse(url).Scheme;

        var user = parse.GetValue(User);
        var tokenFile = parse.GetValue(TokenFile);
        var tokenEnvironment = parse.GetValue(TokenEnvironment);
        HttpsCredentials? credentials = null;
        if (user is not null || tokenFile is not null || tokenEnvironment is not null)
        {
            if (scheme != UrlScheme.Https)
            {
                throw Usage("--user, --token-file and --token-env apply to https:// repositories only");
            }

            if (tokenFile is not null && tokenEnvironment is not null)
            {
                throw Usage("pass the https token with --token-file or --token-env, not both");
            }

            if (tokenFile is null && tokenEnvironment is null)
            {
                throw Usage("--user needs a token: --token-file FILE or --token-env VARIABLE");
            }

            credentials = new HttpsCredentials { User = user, TokenFile = tokenFile is null ? null : System.IO.Path.GetFullPath(tokenFile), TokenEnvironmentVariable = tokenEnvironment };
        }

        var sshKey = parse.GetValue(SshKey);
        var knownHosts = parse.GetValue(KnownHosts);
        SshSettings? ssh = null;
        if (sshKey is not null || knownHosts is not null)
        {
            if (scheme != UrlScheme.Ssh)
            {
                throw Usage("--ssh-key and --known-hosts apply to ssh:// repositories only");
            }

            if (sshKey is null || knownHosts is null)
            {
                throw Usage("ssh:// needs both --ssh-key FILE and --known-hosts FILE");
            }

            ssh = new SshSettings(System.IO.Path.GetFullPath(sshKey), System.IO.Path.GetFullPath(knownHosts));
        }
        else if (scheme == UrlScheme.Ssh)
        {
            throw Usage("ssh:// needs --ssh-key FILE and --known-hosts FILE");
        }

        return new GitSourceOptions
        {
            Url = url,
            Branch = parse.GetRequiredValue(Branch),
            Path = GitTopologyReader.NormalizePath(parse.GetValue(Path)),
            Rev = IncludesRevision ? parse.GetValue(Revision) : null,
            StateDirectory = stateDirectory,
            Credentials = credentials,
            Ssh = ssh,
            Signatures = parse.GetValue(AllowedSigners) is { } signers ? SignaturePolicy.RequireSsh(System.IO.Path.GetFullPath(signers)) : SignaturePolicy.Off,
        };
    }

    /// <summary>The commit the options name. An abbreviated sha is not something the server advertises: when the
    /// branch and tag names do not match, every branch and tag is fetched and the sha looked up in the cache.</summary>
    private static Commit Resolve(GitMirror mirror, GitSourceOptions options)
    {
        try
        {
            return mirror.ResolveRemote(out _);
        }
        catch (GitSourceException e) when (e.Error == GitSourceError.RevisionNotFound && options.Rev is { Length: >= 4 and < 40 } rev && rev.All(char.IsAsciiHexDigit))
        {
            mirror.Fetch([BranchesRefspec, TagsRefspec]);
            try
            {
                return mirror.Repository.Lookup<Commit>(rev)
                    ?? throw new GitSourceException(GitSourceError.RevisionNotFound, $"the repository has no tag, branch or commit '{rev}'");
            }
            catch (AmbiguousSpecificationException)
            {
                throw new GitSourceException(GitSourceError.RevisionNotFound, $"the abbreviated commit '{rev}' is ambiguous: give more digits");
            }
        }
    }

    private static string Describe(GitSourceOptions options)
    {
        var followed = options.Rev is null ? $"branch {options.Branch}" : $"rev {options.Rev}";
        var path = options.Path.Length == 0 ? "" : $", path {options.Path}";
        return $"{RepositoryUrl.Redact(options.Url)} ({followed}{path})";
    }

    private static void Fail(GitSourceException e, string stateDirectory)
    {
        var message = e.Error switch
        {
            GitSourceError.Unreachable => $"cannot fetch the topology: {e.Message}",
            GitSourceError.Cache => $"{e.Message} (choose a writable folder with --state-dir or RECONCILER_STATE_DIR; now {stateDirectory})",
            _ => e.Message,
        };
        Terminal.Fail(message);
    }

    private static GitSourceException Usage(string message) => new(GitSourceError.Configuration, message);
}

/// <summary>A topology read from git: the commit, the load result at it, and where it came from (for messages).</summary>
internal sealed record GitTopology(CommitInfo Commit, TopologyLoadResult Result, string Source)
{
    /// <summary><c>commit 1a2b3c4d5e6f "Raise web weight" of file:///srv/topology (branch main, path lb)</c>.</summary>
    public string Describe() => $"commit {Commit.ShortSha} \"{Commit.Subject}\" of {Source}";
}

/// <summary>A repository opened for reading, with the cache it belongs to (when it was fetched from a URL).</summary>
internal sealed class OpenedRepository(LibGit2Sharp.Repository repository, GitMirror? mirror) : IDisposable
{
    public LibGit2Sharp.Repository Repository { get; } = repository;

    public bool IsCache => mirror is not null;

    /// <summary>A branch name as the cache holds it: the fetched <c>main</c> is <c>refs/remotes/origin/main</c> there
    /// (a tag of the same name wins, as git's own lookup order has it). Anything else is left as it is.</summary>
    public string Qualify(string revision) =>
        IsCache && Repository.Refs["refs/tags/" + revision] is null && Repository.Refs["refs/remotes/origin/" + revision] is not null
            ? "refs/remotes/origin/" + revision
            : revision;

    public void Dispose()
    {
        if (mirror is null)
        {
            Repository.Dispose();
        }
        else
        {
            mirror.Dispose();
        }
    }
}
