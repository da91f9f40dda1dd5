using System.Diagnostics;
using Reconciler.GitSource.Signing;
using Reconciler.GitSource.Source;
using Reconciler.GitSource.Tests.Fixtures;

namespace Reconciler.GitSource.Tests.Source;

/// <summary>
/// The one commit evaluation, against real repositories made here (commits signed by the git CLI with SSH keys made
/// here): resolve, signature, load, validation, safety limit, in that order, stopping at the first that rejects.
/// </summary>
public sealed class CommitEvaluatorTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly TestRepository _repo;

    public CommitEvaluatorTests() => _repo = new TestRepository(_temp.Sub("origin.git"));

    public void Dispose()
    {
        _repo.Dispose();
        _temp.Dispose();
    }

    private TopologyRepository Cache() =>
        TopologyRepository.OpenCache(new GitSourceOptions { Url = _repo.FileUrl, StateDirectory = Path.Combine(_temp.Path, "state") });

    private static CommitEvaluator Evaluator(string? rev = null, SignaturePolicy? signatures = null, SafetyLimit? safety = null) =>
        new(new EvaluationOptions { Rev = rev, Path = "topology", Signatures = signatures ?? SignaturePolicy.Off, Safety = safety ?? SafetyLimit.Default });

    private static Reconciler.Topology.Model.Topology TopologyOf(string yaml) => GitTopologySourceTests.TopologyModelOf(yaml);

    /// <summary>An allowed-signers file trusting a key made here; returns the git config that signs with it.</summary>
    private (string AllowedSigners, string[] SigningConfig) TrustedSigner()
    {
        var key = Path.Combine(_temp.Sub("keys"), "trusted");
        using (var process = Process.Start(new ProcessStartInfo("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "test", "-f", key]) { RedirectStandardOutput = true })!)
        {
            process.WaitForExit();
            Assert.Equal(0, process.ExitCode);
        }

        var allowedSigners = key + ".allowed_signers";
        File.WriteAllText(allowedSigners, "sam@example.org namespaces=\"git\" " + File.ReadAllText(key + ".pub"));
        return (allowedSigners, ["gpg.format=ssh", $"user.signingkey={key}", "commit.gpgsign=false"]);
    }

    [Fact]
    public void Evaluate_ValidCommit_ValidNamingTheCommitWithWarningsAndTimings()
    {
        var commit = _repo.Commit("Seed", "topology/lb.yaml", Samples.Seed);
        using var repository = Cache();

        var evaluation = Evaluator().Evaluate(repository);

        Assert.Equal(commit.Sha, evaluation.Commit.Sha);
        Assert.Equal("Seed", evaluation.Commit.Subject);
        var valid = Assert.IsType<CommitOutcome.Valid>(evaluation.Outcome);
        Assert.Equal(2, valid.Topology.Services.Count);
        Assert.All(valid.Warnings, w => Assert.False(w.IsError));
        Assert.True(evaluation.IsValid);
        Assert.True(evaluation.ToLoadResult().IsValid);
        Assert.True(evaluation.Timings.Resolve >= TimeSpan.Zero && evaluation.Timings.Evaluate >= TimeSpan.Zero);
    }

    [Fact]
    public void Evaluate_UnsignedCommitWithAnInvalidTopology_RejectedForItsSignatureNotItsContent()
    {
        var (allowedSigners, _) = TrustedSigner();
        var unsigned = _repo.Commit("Break it, unsigned", "topology/lb.yaml", Samples.Invalid);
        using var repository = Cache();

        var evaluation = Evaluator(signatures: SignaturePolicy.RequireSsh(allowedSigners)).Evaluate(repository);

        Assert.Equal(unsigned.Sha, evaluation.Commit.Sha);
        var rejected = Assert.IsType<CommitOutcome.Rejected>(evaluation.Outcome);
        Assert.Equal(RejectionKind.Signature, rejected.Kind);
        var only = Assert.Single(rejected.Diagnostics);
        Assert.Equal("signature", only.Code);
        Assert.Contains("not signed", only.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(rejected.Diagnostics, d => d.Location?.File == "topology/lb.yaml");
        Assert.False(evaluation.ToLoadResult().IsValid);
    }

    [Fact]
    public void Evaluate_SignedValidCommitPastTheSafetyLimit_RejectedByTheLimit()
    {
        var (allowedSigners, signing) = TrustedSigner();
        _repo.Commit("One of three", "topology/lb.yaml", Samples.Plain("a"));
        var signed = _repo.GitCommitTree("Signed, removes two of three services", signing, sign: true);
        using var repository = Cache();
        var evaluator = Evaluator(signatures: SignaturePolicy.RequireSsh(allowedSigners));

        var limited = evaluator.Evaluate(repository, previous: TopologyOf(Samples.Plain("a", "b", "c")));
        var first = evaluator.Evaluate(repository, previous: null);

        Assert.Equal(signed, limited.Commit.Sha);
        var rejected = Assert.IsType<CommitOutcome.Rejected>(limited.Outcome);
        Assert.Equal(RejectionKind.SafetyLimit, rejected.Kind);
        Assert.Contains("removes 2 of 3 services (66.7%)", Assert.Single(rejected.Reasons), StringComparison.Ordinal);
        Assert.IsType<CommitOutcome.Valid>(first.Outcome);
    }

    [Fact]
    public void Evaluate_SignedInvalidCommit_RejectedAsInvalidAfterTheSignatureVerified()
    {
        var (allowedSigners, signing) = TrustedSigner();
        _repo.Commit("Break it", "topology/lb.yaml", Samples.Invalid);
        _repo.GitCommitTree("Signed, still broken", signing, sign: true);
        using var repository = Cache();

        var evaluation = Evaluator(signatures: SignaturePolicy.RequireSsh(allowedSigners)).Evaluate(repository, previous: TopologyOf(Samples.Seed));

        var rejected = Assert.IsType<CommitOutcome.Rejected>(evaluation.Outcome);
        Assert.Equal(RejectionKind.Invalid, rejected.Kind);
        Assert.DoesNotContain(rejected.Diagnostics, d => d.Code is "signature" or "safety-limit");
    }

    [Fact]
    public void Evaluate_InvalidTopologyInTwoFiles_EveryErrorReportedAtFileLineColumn()
    {
        _repo.Commit("Seed", "topology/lb.yaml", Samples.Seed);
        _repo.Commit("Break two files", new Dictionary<string, string?>
        {
            ["topology/lb.yaml"] = null,
            ["topology/10-base.yaml"] = Samples.Invalid,
            ["topology/20-more.yaml"] = "services:\n  - name: db\n    address: 10.9.0.1\n    port: 99999\n    realServers: []\n",
        });
        using var repository = Cache();

        var evaluation = Evaluator().Evaluate(repository, previous: TopologyOf(Samples.Seed));

        var rejected = Assert.IsType<CommitOutcome.Rejected>(evaluation.Outcome);
        Assert.Equal(RejectionKind.Invalid, rejected.Kind);
        Assert.Equal(
            [
                "topology/10-base.yaml:8:11: error: services[0].port: 70000 is greater than the maximum 65535",
                "topology/10-base.yaml:13:17: error: services[0].realServers[0].weight: 70000 is greater than the maximum 65535",
                "topology/20-more.yaml:4:11: error: services[1].port: 99999 is greater than the maximum 65535",
            ],
            rejected.Reasons);
    }

    [Fact]
    public void Evaluate_WipeWithPreviousTopology_SafetyLimitOnlyWhenAPreviousIsGiven()
    {
        var wipe = _repo.Commit("Remove everything", "topology/lb.yaml", Samples.Empty);
        using var repository = Cache();

        var limited = Evaluator().Evaluate(repository, previous: TopologyOf(Samples.Plain("a", "b", "c")));
        var allowed = Evaluator(safety: SafetyLimit.Default with { AllowedCommits = new HashSet<string> { wipe.Sha } })
            .Evaluate(repository, previous: TopologyOf(Samples.Plain("a", "b", "c")));
        var first = Evaluator().Evaluate(repository);

        Assert.Equal(RejectionKind.SafetyLimit, Assert.IsType<CommitOutcome.Rejected>(limited.Outcome).Kind);
        Assert.IsType<CommitOutcome.Valid>(allowed.Outcome);
        Assert.IsType<CommitOutcome.Valid>(first.Outcome);
    }

    [Fact]
    public void Evaluate_AlreadyEvaluatedCommit_StopsAfterResolving()
    {
        var commit = _repo.Commit("Break it", "topology/lb.yaml", Samples.Invalid);
        using var repository = Cache();

        var evaluation = Evaluator().Evaluate(repository, alreadyEvaluated: commit.Sha);

        Assert.Equal(commit.Sha, evaluation.Commit.Sha);
        Assert.IsType<CommitOutcome.AlreadyEvaluated>(evaluation.Outcome);
        Assert.Equal(TimeSpan.Zero, evaluation.Timings.Evaluate);
    }

    [Fact]
    public void Evaluate_PinnedRevisions_FullAndAbbreviatedShaTagAndBranchInTheCacheAndInPlace()
    {
        var first = _repo.Commit("Seed", "topology/lb.yaml", Samples.Seed);
        _repo.Repository.Tags.Add("v1", first, new LibGit2Sharp.Signature("Rel", "rel@example.org", DateTimeOffset.UnixEpoch), "release 1");
        var second = _repo.Commit("Later", "topology/lb.yaml", Samples.Seed.Replace("weight: 5", "weight: 7", StringComparison.Ordinal));
        var other = _repo.Commit("On a branch", new Dictionary<string, string?> { ["topology/lb.yaml"] = Samples.Plain("x") }, branch: "staging");

        foreach (var open in new Func<TopologyRepository>[] { Cache, () => TopologyRepository.OpenInPlace(_repo.Path) })
        {
            using var repository = open();
            Assert.Equal(second.Sha, Evaluator().Evaluate(repository).Commit.Sha);
            Assert.Equal(first.Sha, Evaluator(rev: first.Sha).Evaluate(repository).Commit.Sha);
            Assert.Equal(first.Sha, Evaluator(rev: first.Sha[..8]).Evaluate(repository).Commit.Sha);
            Assert.Equal(first.Sha, Evaluator(rev: "v1").Evaluate(repository).Commit.Sha);
            Assert.Equal(other.Sha, Evaluator(rev: "staging").Evaluate(repository).Commit.Sha);
        }
    }

    [Fact]
    public void Evaluate_UnknownRevision_ThrowsRevisionNotFound()
    {
        _repo.Commit("Seed", "topology/lb.yaml", Samples.Seed);
        using var repository = Cache();

        var tag = Assert.Throws<GitSourceException>(() => Evaluator(rev: "v9").Evaluate(repository));
        var sha = Assert.Throws<GitSourceException>(() => Evaluator(rev: "abcdef12").Evaluate(repository));

        Assert.Equal(GitSourceError.RevisionNotFound, tag.Error);
        Assert.Equal("the repository has no tag or branch 'v9'", tag.Message);
        Assert.Equal(GitSourceError.RevisionNotFound, sha.Error);
        Assert.Equal("the repository has no tag, branch or commit 'abcdef12'", sha.Message);
    }
}
