using Reconciler.Cli.Tests.Fixtures;
using Reconciler.GitSource.Tests.Fixtures;
using Reconciler.Testing.Git;

namespace Reconciler.Cli.Tests.Commands;

/// <summary>
/// <c>validate --repo</c> against real repositories made in the test: the topology is read from git objects at the
/// commit the branch or <c>--rev</c> names, through the cache in <c>--state-dir</c>, and the output names that commit.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ValidateFromGitTests : IDisposable
{
    private const string Nodes = """
        nodes:
          - name: lb1
            addresses: [10.0.0.1]

        """;

    private const string Services = """
        services:
          - name: web
            address: 10.0.0.120
            port: 80
            scheduler: wrr
            forwarding: dr
            realServers:
              - {address: 10.0.0.3, port: 80, weight: 1}

        """;

    private readonly TempDirectory _temp = new();
    private readonly TestRepository _repository;
    private readonly string _state;

    public ValidateFromGitTests()
    {
        _repository = new TestRepository(_temp.Sub("topology.git"));
        _state = _temp.Sub("state");
    }

    public void Dispose()
    {
        _repository.Dispose();
        _temp.Dispose();
    }

    private CliResult Validate(params string[] extra) => CliRun.Invoke(["validate", "--state-dir", _state, .. extra]);

    private LibGit2Sharp.Commit CommitValid(string message = "Add web") =>
        _repository.Commit(message, new Dictionary<string, string?> { ["lb/nodes.yaml"] = Nodes, ["lb/services.yaml"] = Services });

    [Fact]
    public void Validate_ValidCommitAtALocalPath_ExitZeroNamingTheCommit()
    {
        var commit = CommitValid();

        var result = Validate("--repo", _repository.Path, "--path", "lb");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith($"Topology: commit {commit.Sha[..12]} \"Add web\" of {_repository.Path} (branch main, path lb)\n", result.Output, StringComparison.Ordinal);
        Assert.EndsWith("valid: 0 errors, 1 warning\n", result.Output, StringComparison.Ordinal);
        Assert.True(Directory.EnumerateDirectories(Path.Combine(_state, "git"), "*.git").Any(), "the bare-clone cache is in the state folder");
    }

    [Fact]
    public void Validate_InvalidCommit_EveryErrorLocatedAtItsPathInTheRepository()
    {
        CommitValid();
        var broken = _repository.Commit("Break two things", new Dictionary<string, string?>
        {
            ["lb/services.yaml"] = Services.Replace("scheduler: wrr", "scheduler: fastest", StringComparison.Ordinal),
            ["lb/nodes.yaml"] = Nodes.Replace("10.0.0.1]", "10.0.0.300]", StringComparison.Ordinal),
        });

        var result = Validate("--repo", _repository.FileUrl, "--path", "lb");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"Topology: commit {broken.Sha[..12]} \"Break two things\"", result.Output, StringComparison.Ordinal);
        Assert.Contains("lb/nodes.yaml:3:17: error:", result.Output, StringComparison.Ordinal);
        Assert.Contains("lb/services.yaml:5:16: error: services[0].scheduler: 'fastest' is not one of", result.Output, StringComparison.Ordinal);
        Assert.EndsWith("invalid: 2 errors, 0 warnings\n", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RevPinsAnOlderCommit_ThatCommitIsValidated()
    {
        var good = CommitValid();
        _repository.Commit("Break it", "lb/services.yaml", "services: [oops]\n");

        var full = Validate("--repo", _repository.FileUrl, "--path", "lb", "--rev", good.Sha);
        var abbreviated = Validate("--repo", _repository.FileUrl, "--path", "lb", "--rev", good.Sha[..8]);
        var tip = Validate("--repo", _repository.FileUrl, "--path", "lb");

        Assert.True(full.ExitCode == 0, full.ToString());
        Assert.Contains($"commit {good.Sha[..12]} \"Add web\"", full.Output, StringComparison.Ordinal);
        Assert.Contains($"(rev {good.Sha}, path lb)", full.Output, StringComparison.Ordinal);
        Assert.True(abbreviated.ExitCode == 0, abbreviated.ToString());
        Assert.Contains($"commit {good.Sha[..12]} \"Add web\"", abbreviated.Output, StringComparison.Ordinal);
        Assert.Equal(1, tip.ExitCode);
    }

    [Fact]
    public void Validate_RevNamesATag_TheTaggedCommitIsValidated()
    {
        var good = CommitValid();
        _repository.Repository.Tags.Add("v1", good);
        _repository.Commit("Break it", "lb/services.yaml", "services: [oops]\n");

        var result = Validate("--repo", _repository.FileUrl, "--path", "lb", "--rev", "v1");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"commit {good.Sha[..12]} \"Add web\"", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PathSubfolder_OnlyThatFolderIsRead()
    {
        _repository.Commit("Two sites", new Dictionary<string, string?>
        {
            ["README.yaml"] = "not: a topology\n",
            ["sites/paris/nodes.yaml"] = Nodes,
            ["sites/paris/services.yaml"] = Services,
            ["sites/berlin/services.yaml"] = "services: [oops]\n",
        });

        var paris = Validate("--repo", _repository.FileUrl, "--path", "sites/paris");
        var berlin = Validate("--repo", _repository.FileUrl, "--path", "/sites/berlin/");

        Assert.True(paris.ExitCode == 0, paris.ToString());
        Assert.Contains("path sites/paris)", paris.Output, StringComparison.Ordinal);
        Assert.Equal(1, berlin.ExitCode);
        Assert.Contains("sites/berlin/services.yaml:1:", berlin.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("paris", berlin.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PathThatIsNotThere_LocatedError()
    {
        CommitValid();

        var result = Validate("--repo", _repository.FileUrl, "--path", "nowhere");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("nowhere: no such file or directory at commit", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnreachableServer_OneLineErrorExitOne()
    {
        var result = Validate("--repo", "git://127.0.0.1:1/x");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Output);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("reconciler: cannot fetch the topology: git://127.0.0.1:1/x: ", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownRevision_OneLineErrorExitOne()
    {
        CommitValid();

        var result = Validate("--repo", _repository.FileUrl, "--rev", "v9");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("reconciler: the repository has no tag or branch 'v9'\n", result.Error);
    }

    [Fact]
    public void Validate_UnknownBranch_OneLineErrorExitOne()
    {
        CommitValid();

        var result = Validate("--repo", _repository.FileUrl, "--branch", "release");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("reconciler: the repository has no branch 'release'\n", result.Error);
    }

    [Fact]
    public void Validate_FilesAndRepoTogether_UsageError()
    {
        CommitValid();
        var file = Path.Combine(_temp.Path, "topology.yaml");
        File.WriteAllText(file, Nodes + Services);

        var withOption = Validate("-f", file, "--repo", _repository.FileUrl);
        var withArgument = Validate(file, "--repo", _repository.FileUrl);

        Assert.Equal(1, withOption.ExitCode);
        Assert.Contains("PATH (or -f) and --repo are mutually exclusive", withOption.Error, StringComparison.Ordinal);
        Assert.Equal(1, withArgument.ExitCode);
        Assert.Contains("PATH (or -f) and --repo are mutually exclusive", withArgument.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_state, "git")), "nothing was fetched");
    }

    [Fact]
    public void Validate_NeitherFilesNorRepo_UsageError()
    {
        var result = Validate();

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no topology: pass PATH (or -f) or --repo URL", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_FileOption_SameAsPathArgument()
    {
        var file = Path.Combine(_temp.Path, "topology.yaml");
        File.WriteAllText(file, Nodes + Services);

        Assert.Equal(Validate(file), Validate("-f", file));
    }

    [Fact]
    public void Validate_TokenOptionsForANonHttpsRepository_Refused()
    {
        CommitValid();

        var result = Validate("--repo", _repository.FileUrl, "--token-env", "TOKEN");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("reconciler: --token-env: applies to https:// repositories only\n", result.Error);
    }

    [Fact]
    public void Validate_SshWithoutKnownHosts_Refused()
    {
        var result = Validate("--repo", "ssh://git@example.org/topology.git", "--ssh-key", "/etc/reconciler/id_ed25519");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("reconciler: --known-hosts: required with --ssh-key (host keys are verified, never trusted on first use)\n", result.Error);
    }

    [Fact]
    public void Validate_SeveralWrongGitOptions_EveryErrorPrintedAtOnceNothingFetched()
    {
        CommitValid();

        var result = Validate("--repo", _repository.FileUrl, "--rev", "a..b", "--token-env", "TOKEN", "--ssh-key", "/etc/reconciler/id_ed25519");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            "reconciler: --rev: invalid revision 'a..b' (a commit sha, full or abbreviated, a tag or a branch)\n"
            + "reconciler: --known-hosts: required with --ssh-key (host keys are verified, never trusted on first use)\n"
            + "reconciler: --token-env: applies to https:// repositories only\n"
            + "reconciler: --ssh-key: applies to ssh:// repositories only\n",
            result.Error);
        Assert.False(Directory.Exists(Path.Combine(_state, "git")), "nothing was fetched");
    }

    [Fact]
    public void Validate_Json_NamesTheCommit()
    {
        var commit = CommitValid();

        var result = Validate("--repo", _repository.FileUrl, "--path", "lb", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"\"sha\": \"{commit.Sha}\"", result.Output, StringComparison.Ordinal);
        Assert.Contains("\"subject\": \"Add web\"", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_GitDaemon_ReadsOverTheGitProtocol()
    {
        var commit = CommitValid();
        using var daemon = new GitDaemon(_temp.Path);

        var result = Validate("--repo", daemon.UrlOf("topology.git"), "--path", "lb");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"commit {commit.Sha[..12]} \"Add web\" of {daemon.UrlOf("topology.git")} (branch main, path lb)", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NewCommitAfterACachedOne_FetchedIncrementally()
    {
        CommitValid();
        Validate("--repo", _repository.FileUrl, "--path", "lb");
        var second = _repository.Commit("Raise the weight", "lb/services.yaml", Services.Replace("weight: 1", "weight: 7", StringComparison.Ordinal));

        var result = Validate("--repo", _repository.FileUrl, "--path", "lb");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"commit {second.Sha[..12]} \"Raise the weight\"", result.Output, StringComparison.Ordinal);
    }
}
