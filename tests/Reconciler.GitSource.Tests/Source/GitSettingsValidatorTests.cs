using Reconciler.GitSource.Source;

namespace Reconciler.GitSource.Tests.Source;

public sealed class GitSettingsValidatorTests
{
    private static readonly GitSettingNames Cli = GitSettingNames.CommandLine;

    /// <summary>Names as the agent gives them: its keys, and where each value came from.</summary>
    private static readonly GitSettingNames Agent = new(
        s => "repository:" + s,
        s => $"repository:{s} (from agent.json)",
        "--repo URL or repository:url");

    private static IReadOnlyList<string> Errors(GitSettings settings, GitSettingNames? names = null, Func<string, bool>? fileExists = null) =>
        GitSettingsValidator.Validate(settings, names ?? Cli, fileExists).Select(e => e.Message).ToList();

    [Fact]
    public void Validate_ManyProblems_EveryErrorAtOnceEachStartingWithItsOption()
    {
        var settings = new GitSettings
        {
            Url = "ssh://git@git.example.org/lb/topology.git",
            Rev = "-rf",
            Path = "../elsewhere",
            User = "deploy",
            TokenFile = "/etc/reconciler/token",
            TokenEnvironmentVariable = "GIT_TOKEN",
            KnownHostsFile = "/etc/reconciler/known_hosts",
        };

        var errors = Errors(settings);

        Assert.Equal(
            [
                "--rev: invalid revision '-rf' (a commit sha, full or abbreviated, a tag or a branch)",
                "--path: invalid topology path '../elsewhere' ('..' is not allowed)",
                "--token-env: give the https token with --token-file or --token-env, not both",
                "--ssh-key: required with --known-hosts",
                "--user: applies to https:// repositories only",
                "--token-file: applies to https:// repositories only",
                "--token-env: applies to https:// repositories only",
            ],
            errors);
    }

    [Fact]
    public void Validate_WithFileExists_EveryMissingFileNamedWithWhereItCameFrom()
    {
        var settings = new GitSettings
        {
            Url = "ssh://git@git.example.org/lb/topology.git",
            SshKeyFile = "/missing/key",
            KnownHostsFile = "/missing/known_hosts",
            AllowedSignersFile = "/missing/allowed_signers",
        };

        var errors = Errors(settings, Agent, _ => false);
        var unchecked_ = Errors(settings, Agent);

        Assert.Equal(
            [
                "repository:SshKeyFile (from agent.json): file '/missing/key' does not exist",
                "repository:KnownHostsFile (from agent.json): file '/missing/known_hosts' does not exist",
                "repository:AllowedSignersFile (from agent.json): file '/missing/allowed_signers' does not exist",
            ],
            errors);
        Assert.Empty(unchecked_);
    }

    [Theory]
    [InlineData("https://deploy:s3cret@git.example.org/t.git")]
    [InlineData("HTTPS://deploy@git.example.org/t.git")]
    [InlineData("http://deploy:s3cret@git.example.org/t.git")]
    public void Validate_UserInfoInAnHttpUrl_RefusedWithoutRepeatingIt(string url)
    {
        // The user alone is not reported as needing a token: the scheme of a refused URL is not judged.
        var error = Assert.Single(Errors(new GitSettings { Url = url, User = "deploy" }, Agent));

        Assert.Contains("credentials in the URL are refused", error, StringComparison.Ordinal);
        Assert.DoesNotContain("deploy@", error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_InvalidUrl_ReportedAndNoSchemeDependentErrors()
    {
        var errors = Errors(new GitSettings { Url = "http://git.example.org/t.git", User = "deploy", SshKeyFile = "/k" });

        Assert.Equal(2, errors.Count);
        Assert.StartsWith("--repo: invalid repository URL 'http://git.example.org/t.git': the scheme 'http' is not supported", errors[0], StringComparison.Ordinal);
        Assert.StartsWith("--known-hosts: required with --ssh-key", errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NoUrl_RequiredSayingHowToGiveIt()
    {
        Assert.Equal(["repository:Url (from agent.json): required (--repo URL or repository:url)"], Errors(new GitSettings(), Agent));
    }

    [Fact]
    public void Validate_SshUrlWithoutFiles_KeyAndKnownHostsRequired()
    {
        Assert.Equal(
            ["--ssh-key: required for an ssh:// repository, with --known-hosts (host keys are verified, never trusted on first use)"],
            Errors(new GitSettings { Url = "ssh://git@git.example.org/t.git" }));
    }

    [Fact]
    public void Validate_HttpsUserWithoutToken_NeedsAToken()
    {
        Assert.Equal(
            ["--user: needs a token (--token-file or --token-env)"],
            Errors(new GitSettings { Url = "https://git.example.org/t.git", User = "deploy" }));
    }

    [Theory]
    [InlineData(null, "main")]
    [InlineData(null, "release/2026")]
    [InlineData("v1.2", "main")]
    [InlineData("1a2b3c4d", "main")]
    [InlineData("0123456789abcdef0123456789abcdef01234567", "main")]
    [InlineData("refs/heads/staging", "main")]
    [InlineData("v1", "not a..branch")]
    public void Validate_RevisionsAndBranchesGitAccepts_NoError(string? rev, string branch) =>
        Assert.Empty(Errors(new GitSettings { Url = "file:///srv/git/topology.git", Rev = rev, Branch = branch }));

    [Theory]
    [InlineData(null, "-main", "--branch: invalid branch name '-main'")]
    [InlineData(null, "a..b", "--branch: invalid branch name 'a..b'")]
    [InlineData("v1..v2", "main", "--rev: invalid revision 'v1..v2'")]
    [InlineData("", "main", "--rev: invalid revision ''")]
    public void Validate_InvalidRevisionOrBranch_Refused(string? rev, string branch, string expected) =>
        Assert.StartsWith(expected, Assert.Single(Errors(new GitSettings { Url = "file:///srv/git/topology.git", Rev = rev, Branch = branch })), StringComparison.Ordinal);

    [Fact]
    public void ToOptions_ValidHttpsSettings_Mapped()
    {
        var settings = new GitSettings
        {
            Url = "https://git.example.org/lb/topology.git",
            Branch = "prod",
            Path = "/lb/",
            User = "deploy",
            TokenEnvironmentVariable = "GIT_TOKEN",
            AllowedSignersFile = "/etc/reconciler/allowed_signers",
        };
        Assert.Empty(Errors(settings, fileExists: _ => true));

        var options = settings.ToOptions("/srv/state");

        Assert.Equal("https://git.example.org/lb/topology.git", options.Url);
        Assert.Equal("prod", options.Branch);
        Assert.Equal("lb", options.Path);
        Assert.Null(options.Rev);
        Assert.Equal("/srv/state", options.StateDirectory);
        Assert.Equal(new HttpsCredentials { User = "deploy", TokenEnvironmentVariable = "GIT_TOKEN" }, options.Credentials);
        Assert.Null(options.Ssh);
        Assert.True(options.Signatures.Required);
        Assert.Equal("/etc/reconciler/allowed_signers", options.Signatures.AllowedSignersFile);
    }
}
