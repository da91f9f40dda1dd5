using System.Net;
using Reconciler.Agent.Settings;
using Reconciler.Agent.Tests.Fakes;
using Reconciler.GitSource.Source;
using Reconciler.Planning;

namespace Reconciler.Agent.Tests.Settings;

public sealed class AgentSettingsReaderTests : IDisposable
{
    private const string Url = "https://git.example.com/lb/topology.git";

    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>Reads with no ambient environment: only the variables given count.</summary>
    private static (AgentSettings? Settings, IReadOnlyList<string> Errors) Read(
        string? file = null,
        Dictionary<string, string?>? environment = null,
        IEnumerable<(string Key, string Value)>? commandLine = null,
        Func<string, bool>? fileExists = null) =>
        AgentSettingsReader.Read(
            AgentSettingsReader.Build(file, (commandLine ?? []).Select(c => KeyValuePair.Create(c.Key, (string?)c.Value)), environment ?? []),
            fileExists ?? (_ => true));

    private string Json(string text)
    {
        var path = _folder.File("agent.json");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Read_OnlyTheRepository_EverythingElseHasItsDefault()
    {
        var (settings, errors) = Read(commandLine: [("repository:url", Url)]);

        Assert.Empty(errors);
        Assert.NotNull(settings);
        Assert.Equal(Environment.MachineName, settings.Node);
        Assert.Equal(Url, settings.Repository.Url);
        Assert.Equal("main", settings.Repository.Branch);
        Assert.Equal("", settings.Repository.Path);
        Assert.Null(settings.Repository.Rev);
        Assert.Null(settings.Repository.TokenFile);
        Assert.Equal(TimeSpan.FromSeconds(15), settings.PollInterval);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.DriftInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(250), settings.MinReconcileInterval);
        Assert.Equal(PlannerOptions.DefaultDrainTimeout, settings.DrainTimeout);
        Assert.Equal("/var/lib/reconciler", settings.StateDirectory);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9477), settings.Endpoint);
        Assert.False(settings.CleanupOnStop);
        Assert.False(settings.AllowMassRemoval);
        Assert.False(settings.AllowNonFastForward);
        Assert.False(settings.ToGitSourceOptions().AllowNonFastForward);
        Assert.Equal("/var/lib/reconciler/ownership.json", settings.OwnershipPath);
        Assert.Equal(LogFormat.Text, settings.LogFormat);
    }

    [Fact]
    public void Read_LogFormat_JsonFromTheFileTextFromTheCommandLineWins_AnythingElseRefusedNamingTheLayer()
    {
        var file = Json($$"""{"repository": {"url": "{{Url}}"}, "logFormat": "json"}""");

        var (fromFile, fileErrors) = Read(file);
        var (overridden, overrideErrors) = Read(file, commandLine: [("logFormat", "TEXT")]);
        var (refused, errors) = Read(file, new Dictionary<string, string?> { ["RECONCILER_LOGFORMAT"] = "logfmt" });

        Assert.Empty(fileErrors);
        Assert.Equal(LogFormat.Json, fromFile!.LogFormat);
        Assert.Empty(overrideErrors);
        Assert.Equal(LogFormat.Text, overridden!.LogFormat);
        Assert.Null(refused);
        Assert.Equal("logFormat (from the environment): 'logfmt' is not a log format (text or json)", Assert.Single(errors));
    }

    [Fact]
    public void Read_ThreeLayers_FileThenEnvironmentThenCommandLine()
    {
        var file = Json("""
            {
              "node": "from-file",
              "pollInterval": "5s",
              "driftInterval": "1m",
              "stateDirectory": "/srv/file-state",
              "repository": { "url": "https://file.example.com/t.git", "branch": "file-branch", "path": "lb" }
            }
            """);
        var environment = new Dictionary<string, string?>
        {
            ["RECONCILER_POLLINTERVAL"] = "7s",
            ["RECONCILER_DRIFTINTERVAL"] = "2m",
            ["RECONCILER_REPOSITORY__BRANCH"] = "env-branch",
            ["RECONCILER_REPOSITORY__URL"] = "https://env.example.com/t.git",
            ["OTHER_POLLINTERVAL"] = "1h",
        };

        var (settings, errors) = Read(file, environment, [("pollInterval", "9s"), ("repository:url", Url), ("cleanupOnStop", "true")]);

        Assert.Empty(errors);
        Assert.NotNull(settings);
        Assert.Equal("from-file", settings.Node);
        Assert.Equal("/srv/file-state", settings.StateDirectory);
        Assert.Equal("lb", settings.Repository.Path);
        Assert.Equal(TimeSpan.FromMinutes(2), settings.DriftInterval);
        Assert.Equal("env-branch", settings.Repository.Branch);
        Assert.Equal(TimeSpan.FromSeconds(9), settings.PollInterval);
        Assert.Equal(Url, settings.Repository.Url);
        Assert.True(settings.CleanupOnStop);
    }

    [Fact]
    public void Read_EndpointAndFlagsAndDurations_Parsed()
    {
        var (settings, errors) = Read(commandLine:
        [
            ("repository:url", Url),
            ("endpoint", "[::1]:9000"),
            ("allowMassRemoval", "True"),
            ("minReconcileInterval", "0ms"),
            ("drainTimeout", "1h30m"),
        ]);

        Assert.Empty(errors);
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 9000), settings!.Endpoint);
        Assert.True(settings.AllowMassRemoval);
        Assert.Equal(TimeSpan.Zero, settings.MinReconcileInterval);
        Assert.Equal(TimeSpan.FromMinutes(90), settings.DrainTimeout);
    }

    [Fact]
    public void Read_ManyProblemsInEveryLayer_EveryErrorReportedAtOnceWithKeyAndLayer()
    {
        var file = Json("""
            {
              "pollInterval": "5x",
              "pollIntervall": "5s",
              "repository": {
                "url": "https://deploy:s3cret@git.example.com/lb/topology.git",
                "tokenFile": "/nonexistent/token",
                "sshKeyFile": "/etc/reconciler/id_ed25519"
              }
            }
            """);
        var environment = new Dictionary<string, string?> { ["RECONCILER_ENDPOINT"] = "localhost:9477" };
        var existing = new HashSet<string>(StringComparer.Ordinal) { "/etc/reconciler/id_ed25519" };

        var (settings, errors) = Read(file, environment, [("driftInterval", "10"), ("cleanupOnStop", "yes"), ("colour", "blue")], existing.Contains);

        Assert.Null(settings);
        Assert.Equal(9, errors.Count);
        AssertError(errors, $"pollInterval (from {file}): '5x' is not a duration");
        AssertError(errors, $"pollIntervall (from {file}): unknown setting");
        AssertError(errors, $"repository:url (from {file}): credentials in the URL are refused");
        AssertError(errors, $"repository:tokenFile (from {file}): file '/nonexistent/token' does not exist");
        AssertError(errors, "repository:knownHostsFile: required with repository:sshKeyFile");
        AssertError(errors, "endpoint (from the environment): 'localhost:9477' is not an address:port");
        AssertError(errors, "driftInterval (from the command line): '10' is not a duration");
        AssertError(errors, "cleanupOnStop (from the command line): 'yes' is not true or false");
        AssertError(errors, "colour (from the command line): unknown setting");
        Assert.DoesNotContain(errors, e => e.Contains("s3cret", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_UnknownKeyOnTheCommandLine_ErrorListsTheKnownKeys()
    {
        var (settings, errors) = Read(commandLine: [("repository:url", Url), ("pollintervall", "5s")]);

        Assert.Null(settings);
        var error = Assert.Single(errors);
        Assert.StartsWith("pollintervall (from the command line): unknown setting (known: ", error, StringComparison.Ordinal);
        Assert.Contains("repository:url", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NoRepositoryUrl_RequiredErrorNamesEveryWayToGiveIt()
    {
        var (settings, errors) = Read(environment: new Dictionary<string, string?> { ["RECONCILER_NODE"] = "lb1" });

        Assert.Null(settings);
        var error = Assert.Single(errors);
        Assert.StartsWith("repository:url: required", error, StringComparison.Ordinal);
        Assert.Contains("--repo", error, StringComparison.Ordinal);
        Assert.Contains("RECONCILER_REPOSITORY__URL", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://deploy:token@git.example.com/t.git", false)]
    [InlineData("HTTP://deploy:token@git.example.com/t.git", false)]
    [InlineData("https://deploy@git.example.com/t.git", false)]
    [InlineData("ssh://git@git.example.com/lb/t.git", true)]
    [InlineData("file:///srv/git/topology.git", true)]
    public void Read_RepositoryUrl_UserInfoInAnHttpUrlRefused(string url, bool accepted)
    {
        // An ssh:// URL needs its key and known_hosts files (the git source refuses it without them).
        (string, string)[] ssh = url.StartsWith("ssh://", StringComparison.Ordinal)
            ? [("repository:sshKeyFile", "/etc/reconciler/id_ed25519"), ("repository:knownHostsFile", "/etc/reconciler/known_hosts")]
            : [];
        var (settings, errors) = Read(commandLine: [("repository:url", url), .. ssh]);

        Assert.Equal(accepted, settings is not null);
        if (!accepted)
        {
            AssertError(errors, "repository:url (from the command line): credentials in the URL are refused");
            Assert.DoesNotContain(errors, e => e.Contains("token@", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Read_DurationsBelowTheirMinimum_Refused()
    {
        var (settings, errors) = Read(commandLine: [("repository:url", Url), ("pollInterval", "50ms"), ("driftInterval", "99ms")]);

        Assert.Null(settings);
        AssertError(errors, "pollInterval (from the command line): 50ms is below the minimum of 100ms");
        AssertError(errors, "driftInterval (from the command line): 99ms is below the minimum of 100ms");
    }

    [Theory]
    [InlineData("0.0.0.0:0")]
    [InlineData("127.0.0.1")]
    [InlineData("::1:9477:x")]
    public void Read_BadEndpoint_Refused(string endpoint)
    {
        var (_, errors) = Read(commandLine: [("repository:url", Url), ("endpoint", endpoint)]);

        AssertError(errors, $"endpoint (from the command line): '{endpoint}' is not an address:port");
    }

    [Fact]
    public void Read_EndpointBeyondLoopbackWithoutToken_RefusedNamingTheSetting()
    {
        var (settings, errors) = Read(commandLine: [("repository:url", Url), ("endpoint", "0.0.0.0:9477")]);

        Assert.Null(settings);
        AssertError(errors, "endpoint (from the command line): 0.0.0.0:9477 is not loopback: anyone who reaches it could read the node's state and trigger reconciles, so an endpoint beyond loopback needs a bearer token (--endpoint-token-file FILE, or \"endpointTokenFile\" in the config file)");
    }

    [Fact]
    public void Read_EndpointBeyondLoopbackWithToken_Accepted()
    {
        var (settings, errors) = Read(commandLine: [("repository:url", Url), ("endpoint", "10.0.0.1:9477"), ("endpointTokenFile", "/etc/reconciler/endpoint-token")]);

        Assert.Empty(errors);
        Assert.Equal("/etc/reconciler/endpoint-token", settings!.EndpointTokenFile);
    }

    [Fact]
    public void Read_Scripts_DefaultUserUnsetNotRootThirtyTwoAtOnce()
    {
        var (settings, errors) = Read(commandLine: [("repository:url", Url)]);

        Assert.Empty(errors);
        Assert.Equal(new Reconciler.Scripts.ScriptPolicy(), settings!.Scripts);
        Assert.Null(settings.Scripts.User);
        Assert.False(settings.Scripts.RunAsRoot);
        Assert.Equal(32, settings.Scripts.MaxConcurrent);
    }

    [Fact]
    public void Read_ScriptUserRootWithoutTheOptIn_Refused()
    {
        var (settings, errors) = Read(commandLine: [("repository:url", Url), ("scripts:user", "root")]);

        Assert.Null(settings);
        AssertError(errors, "scripts:user (from the command line): commands from the topology run as root only when asked explicitly: set scripts:runAsRoot (--scripts-as-root) instead");
    }

    [Fact]
    public void Read_ScriptsFromTheFile_UserAndCapRead()
    {
        var file = Json("""{"repository": {"url": "https://git.example.com/lb/topology.git"}, "scripts": {"user": "keepalived_script", "maxConcurrent": 4}}""");

        var (settings, errors) = Read(file);

        Assert.Empty(errors);
        Assert.Equal(new Reconciler.Scripts.ScriptPolicy { User = "keepalived_script", MaxConcurrent = 4 }, settings!.Scripts);
    }

    [Fact]
    public void Read_RunAsRootExplicitly_Accepted()
    {
        var (settings, errors) = Read(commandLine: [("repository:url", Url), ("scripts:runAsRoot", "true")]);

        Assert.Empty(errors);
        Assert.True(settings!.Scripts.RunAsRoot);
    }

    [Fact]
    public void Read_NamedFilesMissing_EachReportedWithItsKey()
    {
        var (settings, errors) = Read(
            commandLine:
            [
                ("repository:url", "ssh://git@git.example.com/t.git"),
                ("repository:sshKeyFile", "/missing/key"),
                ("repository:knownHostsFile", "/missing/known_hosts"),
                ("repository:allowedSignersFile", "/missing/allowed_signers"),
            ],
            fileExists: _ => false);

        Assert.Null(settings);
        Assert.Equal(3, errors.Count);
        AssertError(errors, "repository:sshKeyFile (from the command line): file '/missing/key' does not exist");
        AssertError(errors, "repository:knownHostsFile (from the command line): file '/missing/known_hosts' does not exist");
        AssertError(errors, "repository:allowedSignersFile (from the command line): file '/missing/allowed_signers' does not exist");
    }

    [Fact]
    public void Read_GitSettingsTheSourceWouldRefuse_EveryOneReportedWithItsKeyAndLayer()
    {
        var (settings, errors) = Read(commandLine:
        [
            ("repository:url", Url),
            ("repository:user", "deploy"),
            ("repository:knownHostsFile", "/etc/reconciler/known_hosts"),
            ("repository:rev", "a..b"),
        ]);

        Assert.Null(settings);
        Assert.Equal(4, errors.Count);
        AssertError(errors, "repository:user (from the command line): needs a token (repository:tokenFile or repository:tokenEnvironmentVariable)");
        AssertError(errors, "repository:sshKeyFile: required with repository:knownHostsFile");
        AssertError(errors, "repository:knownHostsFile (from the command line): applies to ssh:// repositories only");
        AssertError(errors, "repository:rev (from the command line): invalid revision 'a..b'");
    }

    [Fact]
    public void Read_TokenFileThatExistsOnDisk_Accepted()
    {
        var token = _folder.File("token");
        File.WriteAllText(token, "t0ken\n");

        var (settings, errors) = AgentSettingsReader.Read(AgentSettingsReader.Build(
            null, [KeyValuePair.Create("repository:url", (string?)Url), KeyValuePair.Create("repository:tokenFile", (string?)token)], new Dictionary<string, string?>()));

        Assert.Empty(errors);
        Assert.Equal(token, settings!.Repository.TokenFile);
    }

    [Fact]
    public void Read_AllowNonFastForwardFromTheEnvironmentOrTheCommandLine_ReachesTheGitSource()
    {
        var (fromEnvironment, errors) = Read(
            environment: new Dictionary<string, string?> { ["RECONCILER_REPOSITORY__URL"] = Url, ["RECONCILER_ALLOWNONFASTFORWARD"] = "true" });
        Assert.Empty(errors);
        Assert.True(fromEnvironment!.AllowNonFastForward);
        Assert.True(fromEnvironment.ToGitSourceOptions().AllowNonFastForward);

        var (fromSwitch, _) = Read(commandLine: [("repository:url", Url), (AgentSettingsReader.SwitchMappings["--allow-non-fast-forward"], "true")]);
        Assert.True(fromSwitch!.ToGitSourceOptions().AllowNonFastForward);

        var (_, refused) = Read(commandLine: [("repository:url", Url), ("allowNonFastForward", "sometimes")]);
        Assert.Contains(refused, e => e.StartsWith("allowNonFastForward", StringComparison.Ordinal) && e.Contains("not true or false", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_OpenPgpKeyringWithoutPinnedFingerprint_RefusedNamingTheSetting()
    {
        var (settings, errors) = Read(commandLine: [("repository:url", Url), ("repository:gpgHome", "/etc/reconciler/gnupg")]);

        Assert.Null(settings);
        var error = Assert.Single(errors);
        Assert.StartsWith("repository:gpgFingerprints: required with repository:gpgHome", error, StringComparison.Ordinal);
        Assert.Contains("never any key in the keyring", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OpenPgpFingerprintNotAFingerprint_RefusedNamingTheSettingAndLayer()
    {
        var (_, errors) = Read(environment: new Dictionary<string, string?>
        {
            ["RECONCILER_REPOSITORY__URL"] = Url,
            ["RECONCILER_REPOSITORY__GPGFINGERPRINTS"] = "0xDEADBEEF",
        });

        var error = Assert.Single(errors);
        Assert.StartsWith("repository:gpgFingerprints (from the environment): '0xDEADBEEF' is not a full OpenPGP fingerprint", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SshAndOpenPgpSigners_BothReachTheGitSourceAsTheCliWouldBuildThem()
    {
        var fingerprint = "0123456789ABCDEF0123456789ABCDEF01234567";
        var (settings, errors) = Read(commandLine:
        [
            ("repository:url", Url),
            ("repository:allowedSignersFile", "/etc/reconciler/allowed_signers"),
            ("repository:gpgHome", "/etc/reconciler/gnupg"),
            ("repository:gpgFingerprints", $"{fingerprint}, {fingerprint.ToLowerInvariant()[..39]}8"),
        ]);

        Assert.Empty(errors);
        var policy = settings!.ToGitSourceOptions().Signatures;
        Assert.True(policy.Required);
        Assert.Equal("/etc/reconciler/allowed_signers", policy.AllowedSignersFile);
        Assert.Equal("/etc/reconciler/gnupg", policy.GpgHome);
        Assert.Equal([fingerprint, fingerprint[..39] + "8"], policy.TrustedGpgFingerprints);
    }

    [Fact]
    public void ToGitSourceOptions_EverySetting_Mapped()
    {
        var settings = new AgentSettings
        {
            Node = "lb1",
            StateDirectory = "/srv/state",
            AllowMassRemoval = true,
            Repository = new RepositorySettings
            {
                Url = Url,
                Branch = "prod",
                Path = "lb",
                Rev = "v1.2",
                User = "deploy",
                TokenFile = "/etc/reconciler/token",
                AllowedSignersFile = "/etc/reconciler/allowed_signers",
            },
        };

        var options = settings.ToGitSourceOptions();

        Assert.Equal(Url, options.Url);
        Assert.Equal("prod", options.Branch);
        Assert.Equal("lb", options.Path);
        Assert.Equal("v1.2", options.Rev);
        Assert.Equal("/srv/state", options.StateDirectory);
        Assert.Equal(new HttpsCredentials { User = "deploy", TokenFile = "/etc/reconciler/token" }, options.Credentials);
        Assert.Null(options.Ssh);
        Assert.Same(SafetyLimit.Disabled, options.Safety);
        Assert.True(options.Signatures.Required);
        Assert.Equal("/etc/reconciler/allowed_signers", options.Signatures.AllowedSignersFile);
    }

    [Fact]
    public void ToGitSourceOptions_NoSecretsNoSigners_NoCredentialsDefaultSafetySignaturesOff()
    {
        var settings = new AgentSettings { Node = "lb1", Repository = new RepositorySettings { Url = "file:///srv/git/t.git" } };

        var options = settings.ToGitSourceOptions();

        Assert.Null(options.Credentials);
        Assert.Null(options.Ssh);
        Assert.Null(options.Rev);
        Assert.Equal("main", options.Branch);
        Assert.Equal(AgentSettings.DefaultStateDirectory, options.StateDirectory);
        Assert.Same(SafetyLimit.Default, options.Safety);
        Assert.Same(GitSource.Signing.SignaturePolicy.Off, options.Signatures);
    }

    [Fact]
    public void ToGitSourceOptions_TokenFromEnvironmentAndSsh_Mapped()
    {
        var settings = new AgentSettings
        {
            Node = "lb1",
            Repository = new RepositorySettings
            {
                Url = "ssh://git@git.example.com/t.git",
                TokenEnvironmentVariable = "GIT_TOKEN",
                SshKeyFile = "/etc/reconciler/id_ed25519",
                KnownHostsFile = "/etc/reconciler/known_hosts",
            },
        };

        var options = settings.ToGitSourceOptions();

        Assert.Equal(new HttpsCredentials { TokenEnvironmentVariable = "GIT_TOKEN" }, options.Credentials);
        Assert.Equal(new SshSettings("/etc/reconciler/id_ed25519", "/etc/reconciler/known_hosts"), options.Ssh);
    }

    [Fact]
    public void SwitchMappings_EverySwitchSetsAKeyTheReaderAccepts()
    {
        foreach (var (option, key) in AgentSettingsReader.SwitchMappings)
        {
            var value = key switch
            {
                "repository:url" => Url,
                "endpoint" => "127.0.0.1:9477",
                "cleanupOnStop" or "allowMassRemoval" or "allowNonFastForward" or "scripts:runAsRoot" => "true",
                "scripts:maxConcurrent" => "4",
                "logFormat" => "json",
                _ when key.EndsWith("Interval", StringComparison.Ordinal) || key == "drainTimeout" => "1s",
                _ => "x",
            };
            // Each with what it needs to be valid: a user needs a token; SSH files come as a pair, for an ssh:// URL.
            var ssh = key is "repository:sshKeyFile" or "repository:knownHostsFile";
            value = key == "repository:gpgFingerprints" ? new string('a', 40) : value;
            var url = ssh ? "ssh://git@git.example.com/lb/t.git" : Url;
            var commandLine = key == "repository:url" ? [(key, value)] : new[] { ("repository:url", url), (key, value) };
            var extra = key switch
            {
                "repository:sshKeyFile" => [("repository:knownHostsFile", "/k")],
                "repository:knownHostsFile" => [("repository:sshKeyFile", "/k")],
                "repository:user" => [("repository:tokenFile", "/t")],
                "repository:gpgHome" => [("repository:gpgFingerprints", new string('a', 40))],
                _ => Array.Empty<(string, string)>(),
            };

            var (_, errors) = Read(commandLine: commandLine.Concat(extra));

            Assert.True(errors.Count == 0, $"{option} -> {key}: {string.Join("; ", errors)}");
        }
    }

    private static void AssertError(IReadOnlyList<string> errors, params string[] parts) =>
        Assert.True(
            errors.Any(e => parts.All(p => e.Contains(p, StringComparison.Ordinal))),
            $"no error containing [{string.Join("] and [", parts)}] in:\n{string.Join("\n", errors)}");
}
