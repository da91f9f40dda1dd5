using Reconciler.GitSource.Source;

namespace Reconciler.GitSource.Tests.Source;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RepositoryUrlTests
{
    [Theory]
    [InlineData("file:///srv/git/topology.git", UrlScheme.Local)]
    [InlineData("/srv/git/topology.git", UrlScheme.Local)]
    [InlineData("git://git.example.org/topology.git", UrlScheme.Git)]
    [InlineData("git://127.0.0.1:9418/topology.git", UrlScheme.Git)]
    [InlineData("https://github.com/acme/lb-topology.git", UrlScheme.Https)]
    [InlineData("https://[2001:db8::1]:8443/acme/topology.git", UrlScheme.Https)]
    [InlineData("ssh://git@github.com/acme/lb-topology.git", UrlScheme.Ssh)]
    [InlineData("ssh://git.example.org:2222/srv/topology.git", UrlScheme.Ssh)]
    public void Parse_Supported_Accepted(string url, UrlScheme scheme) => Assert.Equal(scheme, RepositoryUrl.Parse(url).Scheme);

    [Theory]
    [InlineData("http://example.org/topology.git", "not supported")]
    [InlineData("git@github.com:acme/topology.git", "scp-like")]
    [InlineData("https://user:tok3n@github.com/acme/t.git", "user info")]
    [InlineData("https://tok3n@github.com/acme/t.git", "user info")]
    [InlineData("ssh://-oProxyCommand=touch%20x/foo", "host")]
    [InlineData("ssh://host/repo;touch${IFS}x", "path contains")]
    [InlineData("ssh://host/repo$(id)", "path contains")]
    [InlineData("ssh://host/'quoted'", "path contains")]
    [InlineData("ssh://host/repo`id`", "path contains")]
    [InlineData("ssh://host/a b", "spaces")]
    [InlineData("git://host/../../etc", "'..'")]
    [InlineData("git://host:99999/t.git", "port")]
    [InlineData("file://otherhost/srv/t.git", "cannot name a host")]
    [InlineData("relative/path", "scp-like")]
    [InlineData("ext::sh -c touch% /tmp/pwned", "spaces")]
    public void Parse_Unsafe_RefusedWithReason(string url, string reason)
    {
        var e = Assert.Throws<GitSourceException>(() => RepositoryUrl.Parse(url));
        Assert.Equal(GitSourceError.Configuration, e.Error);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("tok3n", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Redact_RemovesUserInfo() =>
        Assert.Equal("https://***@github.com/a/b.git", RepositoryUrl.Redact("https://u:secret@github.com/a/b.git"));

    [Fact]
    public void SshCommand_QuotesFilesAndChecksHostsStrictly()
    {
        var command = SshCommand.For(new SshSettings("/etc/reconciler/id_ed25519", "/etc/reconciler/known_hosts"));
        Assert.Equal(
            "ssh -F /dev/null -o BatchMode=yes -o IdentitiesOnly=yes -o IdentityAgent=none -o StrictHostKeyChecking=yes -o UserKnownHostsFile='/etc/reconciler/known_hosts' -o GlobalKnownHostsFile=/dev/null -i '/etc/reconciler/id_ed25519'",
            command);
        Assert.Throws<GitSourceException>(() => SshCommand.For(new SshSettings("/tmp/it's", "/k")));
        Assert.Throws<GitSourceException>(() => SshCommand.For(new SshSettings("relative", "/k")));
    }

    /// <summary>
    /// libgit2's fix for its SSH command injection (the exec-based SSH transport passed the repository path to /bin/sh
    /// unquoted; upstream "SSH exec updates", libgit2/libgit2#7163) as released: the first fixed release of each
    /// affected series. Written out here rather than taken from <see cref="Libgit2Version"/>, so that the test says
    /// which releases are safe independently of the code it checks: a series released after the newest one listed
    /// carries the fix from its first release; a series before the oldest one listed never got it.
    /// </summary>
    private static readonly Version[] FirstFixedReleases = [new(1, 8, 5), new(1, 9, 2)];

    private static bool HasTheSshFix(Version version)
    {
        if (FirstFixedReleases.SingleOrDefault(f => f.Major == version.Major && f.Minor == version.Minor) is { } firstFixed)
        {
            return version >= firstFixed;
        }

        var newestSeries = FirstFixedReleases.Max()!;
        return new Version(version.Major, version.Minor) > new Version(newestSeries.Major, newestSeries.Minor);
    }

    [Theory]
    [InlineData(1, 9, 1, false)]
    [InlineData(1, 9, 2, true)]
    [InlineData(1, 8, 4, false)]
    [InlineData(1, 8, 5, true)]
    [InlineData(1, 7, 9, false)]
    [InlineData(1, 10, 0, true)]
    public void FirstFixedReleases_TheTableReadsAsDocumented(int major, int minor, int revision, bool fixedThere) =>
        Assert.Equal(fixedThere, HasTheSshFix(new Version(major, minor, revision)));

    [Fact]
    public void Libgit2Version_SshIsSafe_ExactlyTheReleasesWithTheFix()
    {
        var wrong = new List<string>();
        for (var major = 0; major <= 3; major++)
        {
            for (var minor = 0; minor <= 12; minor++)
            {
                for (var revision = 0; revision <= 12; revision++)
                {
                    var expected = HasTheSshFix(new Version(major, minor, revision));
                    if (new Libgit2Version(major, minor, revision, "0000000", "").SshIsSafe != expected)
                    {
                        wrong.Add($"{major}.{minor}.{revision} should be {(expected ? "safe" : "refused")}");
                    }
                }
            }
        }

        Assert.Empty(wrong);
    }

    [Fact]
    public void EnsureSafeLibgit2_VulnerableOrUnknownVersion_RefusedNamingEveryFixedRelease()
    {
        var vulnerable = new Libgit2Version(1, 9, 1, "0000000", "");
        foreach (var version in new[] { vulnerable, null })
        {
            var e = Assert.Throws<GitSourceException>(() => SshCommand.EnsureSafeLibgit2(version));

            Assert.Equal(GitSourceError.Configuration, e.Error);
            Assert.StartsWith("ssh:// refused", e.Message, StringComparison.Ordinal);
            Assert.All(FirstFixedReleases, release => Assert.Contains(release.ToString(3), e.Message, StringComparison.Ordinal));
        }
    }

    /// <summary>The guard against the libgit2 this process actually loaded: the same library LibGit2Sharp reports
    /// (<see cref="LibGit2Sharp.GlobalSettings.Version"/>'s commit), its version read from the library itself, and
    /// ssh:// accepted or refused as the independent table above says for that version (not as the code says).</summary>
    [Fact]
    public void Libgit2Version_Loaded_IsTheLibraryLibGit2SharpUsesAndTheGuardFollowsTheTableForIt()
    {
        var version = Libgit2Version.Loaded;
        Assert.NotNull(version);
        TestContext.Current.SendDiagnosticMessage($"LibGit2Sharp loads {version}; SSH safe: {version.SshIsSafe}");
        Assert.Equal(LibGit2Sharp.GlobalSettings.Version.LibGit2CommitSha, version.CommitSha);
        Assert.Contains(LibGit2Sharp.GlobalSettings.Version.Features.ToString(), version.ToString(), StringComparison.Ordinal);
        var loadedHasTheFix = HasTheSshFix(new Version(version.Major, version.Minor, version.Revision));
        Assert.Equal(loadedHasTheFix, version.SshIsSafe);
        using var temp = new Fixtures.TempDirectory();
        var options = new GitSourceOptions
        {
            Url = "ssh://git@127.0.0.1/srv/topology.git",
            StateDirectory = temp.Path,
            Ssh = new SshSettings("/nonexistent/key", "/nonexistent/known_hosts"),
        };
        if (loadedHasTheFix)
        {
            using var mirror = GitMirror.Open(options);
            var wrapper = mirror.Repository.Config.Get<string>("core.sshCommand").Value;
            Assert.Equal(Path.Combine(temp.Path, "ssh", "ssh-command"), wrapper);
            Assert.Contains("StrictHostKeyChecking=yes", File.ReadAllText(wrapper), StringComparison.Ordinal);
        }
        else
        {
            var e = Assert.Throws<GitSourceException>(() => GitMirror.Open(options));
            Assert.Contains("ssh:// refused", e.Message, StringComparison.Ordinal);
            Assert.All(FirstFixedReleases, release => Assert.Contains(release.ToString(3), e.Message, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(3, 20)]
    [InlineData(7, 300)]
    [InlineData(100, 300)]
    public void Backoff_DoublesAndCaps(int failures, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), BackoffPolicy.Default.DelayAfter(failures));
}
