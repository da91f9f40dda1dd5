using System.Diagnostics;
using Reconciler.GitSource.Signing;
using Reconciler.GitSource.Source;
using Reconciler.GitSource.Tests.Fixtures;

namespace Reconciler.GitSource.Tests.Signing;

/// <summary>OpenPGP: a key generated in a throwaway GNUPGHOME, a commit signed by the git CLI, verified by gpg.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class GpgSignedCommitTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly TestRepository _repo;
    private readonly string _home;
    private readonly string _fingerprint;

    public GpgSignedCommitTests()
    {
        _repo = new TestRepository(_temp.Sub("origin.git"));
        _home = _temp.Sub("gnupg");
        File.SetUnixFileMode(_home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Gpg("--batch", "--passphrase", "", "--quick-gen-key", "Gpg Signer <sam@example.org>", "ed25519", "sign", "never");
        _fingerprint = Gpg("--with-colons", "--list-keys").Split('\n').First(l => l.StartsWith("fpr:", StringComparison.Ordinal)).Split(':')[9];
    }

    private string Gpg(params string[] arguments)
    {
        var start = new ProcessStartInfo("gpg") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--homedir");
        start.ArgumentList.Add(_home);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        return output;
    }

    /// <summary>Commits the seed topology, then a commit signed with this test's OpenPGP key; returns the latter's sha.</summary>
    private string SeedThenOpenPgpSignedCommit()
    {
        _repo.Commit("Seed", "topology/lb.yaml", Samples.Seed);
        return _repo.GitCommitTree(
            "Signed with OpenPGP",
            ["gpg.format=openpgp", $"user.signingkey={_fingerprint}"],
            sign: true,
            new Dictionary<string, string> { ["GNUPGHOME"] = _home });
    }

    [Fact]
    public void Verify_GpgSignedByTrustedKey_VerifiedAndUntrustedFingerprintRefused()
    {
        var signed = SeedThenOpenPgpSignedCommit();
        var unsigned = _repo.GitCommitTree("Unsigned", [], sign: false);

        var trusted = new SignatureVerifier(new SignaturePolicy { Required = true, GpgHome = _home, TrustedGpgFingerprints = [_fingerprint] });
        var verdict = trusted.Verify(_repo.Repository, new LibGit2Sharp.ObjectId(signed));
        Assert.True(verdict.Verified, verdict.Detail);
        Assert.Equal(_fingerprint, verdict.Signer);
        Assert.False(trusted.Verify(_repo.Repository, new LibGit2Sharp.ObjectId(unsigned)).Verified);

        var other = new SignatureVerifier(new SignaturePolicy { Required = true, GpgHome = _home, TrustedGpgFingerprints = [new string('A', 40)] });
        var refused = other.Verify(_repo.Repository, new LibGit2Sharp.ObjectId(signed));
        Assert.False(refused.Verified);
        Assert.Contains("not a trusted fingerprint", refused.Detail, StringComparison.Ordinal);

        // An empty keyring knows no key: refused.
        var stranger = _temp.Sub("empty-gnupg");
        File.SetUnixFileMode(stranger, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Assert.False(new SignatureVerifier(new SignaturePolicy { Required = true, GpgHome = stranger }).Verify(_repo.Repository, new LibGit2Sharp.ObjectId(signed)).Verified);
        KillAgent(stranger);
    }

    [Fact]
    public void Verify_OpenPgpWithoutPinnedFingerprint_RefusedEvenByAKeyInTheKeyring()
    {
        var signed = SeedThenOpenPgpSignedCommit();

        var anyKey = new SignatureVerifier(new SignaturePolicy { Required = true, GpgHome = _home });
        var verdict = anyKey.Verify(_repo.Repository, new LibGit2Sharp.ObjectId(signed));

        Assert.False(verdict.Verified);
        Assert.Contains("no pinned fingerprint", verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PollAsync_AgentStyleOptionsWithPinnedFingerprint_OpenPgpSignedCommitAcceptedAndSignerRecorded()
    {
        var signed = SeedThenOpenPgpSignedCommit();
        var options = new GitSettings { Url = _repo.FileUrl, Path = "topology", GpgHome = _home, GpgFingerprints = _fingerprint.ToLowerInvariant() }
            .ToOptions(_temp.Sub("state"));
        using var source = new GitTopologySource(options);

        var accepted = Assert.IsType<PollResult.NewValid>(await source.PollAsync(TestContext.Current.CancellationToken));

        Assert.Equal(signed, accepted.Commit.Sha);
        Assert.Equal(_fingerprint, accepted.Commit.Signer);
    }

    private static void KillAgent(string home)
    {
        using var process = Process.Start(new ProcessStartInfo("gpgconf", ["--homedir", home, "--kill", "all"]) { RedirectStandardError = true })!;
        process.WaitForExit();
    }

    public void Dispose()
    {
        KillAgent(_home);
        _repo.Dispose();
        _temp.Dispose();
    }
}
