using System.CommandLine;
using System.CommandLine.Parsing;
using Reconciler.Cli.Output;
using Reconciler.GitSource.Source;
using Reconciler.Topology.Loading;

namespace Reconciler.Cli.Commands;

/// <summary>
/// The topology read from git, as the agent reads it: <c>--repo</c> (a file://, git://, https:// or ssh:// URL, or a
/// local path), the commit <c>--branch</c> points at or the one <c>--rev</c> pins, the topology under <c>--path</c>,
/// fetched into the bare-clone cache in the state folder and read from git objects (no work tree). Secrets are never
/// option values: the https token comes from a file or an environment variable, ssh keys from files.
/// Shared by validate, plan, apply (which load through it) and diff, history (which open a repository through it).
/// Everything git is done by Reconciler.GitSource: this class only turns options into its settings and prints.
/// </summary>
internal sealed class GitOptions
{
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

    public Option<string?> AllowedSigners { get; } = new("--allowed-signers") { Description = "Accept only a signed commit; SSH signatures verify against this allowed-signers file." };

    public Option<string?> GpgHome { get; } = new("--gpg-home") { Description = "Accept only a signed commit; OpenPGP signatures verify against this gpg home's keyring (needs --gpg-fingerprints)." };

    public Option<string?> GpgFingerprints { get; } = new("--gpg-fingerprints") { Description = "OpenPGP key fingerprints (comma-separated) whose signatures are accepted; never any key of the keyring." };

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
        command.Options.Add(GpgHome);
        command.Options.Add(GpgFingerprints);
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
    public string FollowedRevision(ParseResult parse, TopologyRepository opened)
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
    /// The commit the options name, evaluated as the agent evaluates it (<see cref="CommitEvaluator"/>: fetched into
    /// the cache in the state folder, resolved, its signature verified when <c>--allowed-signers</c> is given, the
    /// topology loaded and validated, every finding located at its path in the repository). Null when the source
    /// could not be read at all (bad options, unreachable server, unknown revision): the reasons are printed already.
    /// </summary>
    public GitTopology? Load(ParseResult parse, string stateDirectory)
    {
        try
        {
            if (SourceOptions(parse, stateDirectory) is not { } options)
            {
                return null;
            }

            using var repository = TopologyRepository.OpenCache(options);
            var evaluation = new CommitEvaluator(EvaluationOptions.Of(options)).Evaluate(repository);
            return new GitTopology(evaluation.Commit, evaluation.ToLoadResult(), Describe(options));
        }
        catch (GitSourceException e)
        {
            Fail(e, stateDirectory);
            return null;
        }
    }

    /// <summary>
    /// A repository to read history from: a local path is opened as it is (work tree or bare, no cache; its HEAD and
    /// refs as they are); a URL is fetched into the cache (every branch and tag). Null after printing why not.
    /// </summary>
    public TopologyRepository? Open(ParseResult parse, string stateDirectory)
    {
        var value = parse.GetValue(Repository) ?? ".";
        try
        {
            if (!value.Contains("://", StringComparison.Ordinal))
            {
                return TopologyRepository.OpenInPlace(value);
            }

            if (SourceOptions(parse, stateDirectory) is not { } options)
            {
                return null;
            }

            var repository = TopologyRepository.OpenCache(options);
            try
            {
                repository.FetchAll();
                return repository;
            }
            catch
            {
                repository.Dispose();
                throw;
            }
        }
        catch (GitSourceException e)
        {
            Fail(e, stateDirectory);
            return null;
        }
    }

    /// <summary>The settings the options give, checked all at once (<see cref="GitSettingsValidator"/>) before any
    /// network: null after printing every error, each naming the option it is about.</summary>
    private GitSourceOptions? SourceOptions(ParseResult parse, string stateDirectory)
    {
        var settings = Settings(parse);
        var errors = GitSettingsValidator.Validate(settings, GitSettingNames.CommandLine);
        foreach (var error in errors)
        {
            Terminal.Fail(error.Message);
        }

        return errors.Count == 0 ? settings.ToOptions(stateDirectory) : null;
    }

    /// <summary>The options as typed, local paths made absolute (the cache and the verifiers run elsewhere).</summary>
    private GitSettings Settings(ParseResult parse)
    {
        static string? Full(string? path) => path is null ? null : System.IO.Path.GetFullPath(path);
        var repository = parse.GetValue(Repository);
        return new GitSettings
        {
            Url = repository is null || repository.Contains("://", StringComparison.Ordinal) ? repository : System.IO.Path.GetFullPath(repository),
            Branch = parse.GetRequiredValue(Branch),
            Rev = IncludesRevision ? parse.GetValue(Revision) : null,
            Path = parse.GetValue(Path),
            User = parse.GetValue(User),
            TokenFile = Full(parse.GetValue(TokenFile)),
            TokenEnvironmentVariable = parse.GetValue(TokenEnvironment),
            SshKeyFile = Full(parse.GetValue(SshKey)),
            KnownHostsFile = Full(parse.GetValue(KnownHosts)),
            AllowedSignersFile = Full(parse.GetValue(AllowedSigners)),
            GpgHome = Full(parse.GetValue(GpgHome)),
            GpgFingerprints = parse.GetValue(GpgFingerprints),
        };
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
}

/// <summary>A topology read from git: the commit, the load result at it, and where it came from (for messages).</summary>
internal sealed record GitTopology(CommitInfo Commit, TopologyLoadResult Result, string Source)
{
    /// <summary><c>commit 1a2b3c4d5e6f "Raise web weight" of file:///srv/topology (branch main, path lb)</c>.</summary>
    public string Describe() => $"commit {Commit.ShortSha} \"{Commit.Subject}\" of {Source}";
}
