using System.Diagnostics;
using Reconciler.GitSource.Audit;
using Reconciler.GitSource.Signing;
using Reconciler.GitSource.Source;
using Reconciler.GitSource.Tests.Fixtures;

namespace Reconciler.GitSource.Tests.Signing;

/// <summary>Commits signed by the git CLI with SSH keys generated here, verified with an allowed-signers file.</summary>
public sealed class SignedCommitTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly TestRepository _repo;
    private readonly string _trustedKey;
    private readonly string _strangerKey;
    private readonly string _allowedSigners;

    public SignedCommitTests()
    {
        _repo = new TestRepository(_temp.Sub("origin.git"));
        var keys = _temp.Sub("keys");
        _trustedKey = Path.Combine(keys, "trusted");
        _strangerKey = Path.Combine(keys, "stranger");
        KeyGen(_trustedKey);
        KeyGen(_strangerKey);
        _allowedSigners = Path.Combine(keys, "allowed_signers");
        File.WriteAllText(_allowedSigners, "sam@example.org namespaces=\"git\" " + File.ReadAllText(_trustedKey + ".pub"));
    }

    private static void KeyGen(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "test", "-f", path]) { RedirectStandardOutput = true })!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }

    private string[] SigningConfig(string key) => ["gpg.format=ssh", $"user.signingkey={key}", "commit.gpgsign=false"];

    private GitTopologySource Source() => new(new GitSourceOptions
    {
        Url = _repo.FileUrl,
        Path = "topology",
        StateDirectory = Path.Combine(_temp.Path, "state"),
        Signatures = SignaturePolicy.RequireSsh(_allowedSigners),
    });

    [Fact]
    public async Task PollAsync_SignaturesRequired_SignedAcceptedUnsignedAndStrangerRejectedLastGoodKept()
    {
        _repo.Commit("Seed (unsigned, by libgit2)", "topology/lb.yaml", Samples.Seed);
        var signed = _repo.GitCommitTree("Signed by a trusted key", SigningConfig(_trustedKey), sign: true);
        using var source = Source();

        var accepted = Assert.IsType<PollResult.NewValid>(await source.PollAsync(TestContext.Current.CancellationToken));
        Assert.Equal(signed, accepted.Commit.Sha);

        var unsigned = _repo.GitCommitTree("Unsigned", [], sign: false);
        var rejected = Assert.IsType<PollResult.Rejected>(await source.PollAsync(TestContext.Current.CancellationToken));
        Assert.Equal(RejectionKind.Signature, rejected.Kind);
        Assert.Equal(unsigned, rejected.Commit.Sha);
        Assert.Contains("not signed", rejected.Reasons.Single(), StringComparison.Ordinal);
        Assert.Equal(signed, source.LastGood!.Commit.Sha);

        var stranger = _repo.GitCommitTree("Signed by an unknown key", SigningConfig(_strangerKey), sign: true);
        var refused = Assert.IsType<PollResult.Rejected>(await source.PollAsync(TestContext.Current.CancellationToken));
        Assert.Equal(stranger, refused.Commit.Sha);
        Assert.Contains("not in the allowed signers", refused.Reasons.Single(), StringComparison.Ordinal);
        Assert.Equal(signed, refused.Status.LastAppliedRevision);

        var again = _repo.GitCommitTree("Signed again", SigningConfig(_trustedKey), sign: true);
        var next = Assert.IsType<PollResult.NewValid>(await source.PollAsync(TestContext.Current.CancellationToken));
        Assert.Equal(again, next.Commit.Sha);
    }

    [Fact]
    public async Task PollAsync_SignedCommitAccepted_TheVerifiedSignerIsRecordedWithTheCommitAndInTheAuditEntry()
    {
        _repo.Commit("Seed (unsigned, by libgit2)", "topology/lb.yaml", Samples.Seed);
        var signed = _repo.GitCommitTree("Signed by a trusted key", SigningConfig(_trustedKey), sign: true);
        using var source = Source();

        var accepted = Assert.IsType<PollResult.NewValid>(await source.PollAsync(TestContext.Current.CancellationToken));
        var entry = AuditEntry.For(DateTimeOffset.UnixEpoch, "lb1", accepted.Commit, AuditOutcome.Applied);
        var journal = AuditJournal.InStateDirectory(_temp.Sub("journal"));
        journal.Append(entry);
        var read = Assert.Single(journal.Read().Entries);

        Assert.Equal(signed, accepted.Commit.Sha);
        Assert.Equal("sam@example.org", accepted.Commit.Signer);
        Assert.Equal("sam@example.org", read.Signer);
        Assert.Equal("Sam Signer <sam@example.org>", read.Author);
        Assert.Equal("Sam Signer <sam@example.org>", read.Committer);
        Assert.Equal(accepted.Commit.CommitTime, read.CommitTime);
        Assert.Equal("lb1", read.Node);
        Assert.Equal(signed, read.Commit);
    }

    [Fact]
    public void Verify_TamperedSignedData_Fails()
    {
        _repo.Commit("Seed", "topology/lb.yaml", Samples.Seed);
        var signed = _repo.GitCommitTree("Signed", SigningConfig(_trustedKey), sign: true);
        var verifier = new SignatureVerifier(SignaturePolicy.RequireSsh(_allowedSigners));
        var good = verifier.Verify(_repo.Repository, new LibGit2Sharp.ObjectId(signed));
        Assert.True(good.Verified, good.Detail);
        Assert.Equal("sam@example.org", good.Signer);

        // The same signature over other bytes: a forged commit reusing a real signature.
        var info = LibGit2Sharp.Commit.ExtractSignature(_repo.Repository, new LibGit2Sharp.ObjectId(signed));
        var forged = _repo.Repository.ObjectDatabase.CreateCommitWithSignature(info.SignedData.Replace("Signed", "Forged", StringComparison.Ordinal), info.Signature);
        var bad = verifier.Verify(_repo.Repository, forged);
        Assert.False(bad.Verified);
        Assert.Contains("bad SSH signature", bad.Detail, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _repo.Dispose();
        _temp.Dispose();
    }
}
