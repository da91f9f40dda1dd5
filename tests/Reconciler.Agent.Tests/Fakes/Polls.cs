using System.Security.Cryptography;
using System.Text;
using Reconciler.GitSource.Source;
using Reconciler.Topology.Diagnostics;

namespace Reconciler.Agent.Tests.Fakes;

/// <summary>Commits and poll results as the git source produces them.</summary>
internal static class Polls
{
    public static readonly DateTimeOffset Epoch = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A commit whose sha is derived from its subject (stable across runs).</summary>
    public static CommitInfo Commit(string subject) => new(
        Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(subject))),
        "Alice Operator",
        "alice@example.com",
        Epoch,
        "Alice Operator",
        "alice@example.com",
        Epoch,
        subject);

    public static GoodRevision Good(string subject, string yaml) => new(Commit(subject), Topologies.Load(yaml));

    public static PollResult.NewValid NewValid(GoodRevision revision) =>
        new(revision.Commit, revision.Topology, [], new SourceStatus(SourceCondition.Ready, revision.Commit.Sha, revision.Commit.Sha, revision, null, null));

    public static PollResult.NewValid NewValid(string subject, string yaml) => NewValid(Good(subject, yaml));

    /// <summary>The remote did not move; <paramref name="lastGood"/> is what the source restored from its state.</summary>
    public static PollResult.Unchanged Unchanged(GoodRevision? lastGood) =>
        new(new SourceStatus(lastGood is null ? SourceCondition.Reconciling : SourceCondition.Ready, lastGood?.Commit.Sha, lastGood?.Commit.Sha, lastGood, null, null));

    /// <summary>A refused commit, one error diagnostic per message (located at topology/lb.yaml:12:7, 13:7, ...).</summary>
    public static PollResult.Rejected Rejected(string subject, GoodRevision? lastGood, params string[] errors)
    {
        var commit = Commit(subject);
        var diagnostics = errors
            .Select((message, i) => Diagnostic.Error("schema", message, new SourceLocation("topology/lb.yaml", 12 + i, 7)))
            .Append(Diagnostic.Warning("style", "a warning is not a reason", new SourceLocation("topology/lb.yaml", 1, 1)))
            .ToList();
        var status = new SourceStatus(SourceCondition.Stalled, commit.Sha, lastGood?.Commit.Sha, lastGood, $"commit {commit.ShortSha} rejected", null);
        return new PollResult.Rejected(commit, RejectionKind.Invalid, diagnostics, status);
    }

    public static PollResult.Unreachable Unreachable(GoodRevision? lastGood, string error) => new(
        error,
        TimeSpan.FromSeconds(30),
        1,
        new SourceStatus(SourceCondition.Stalled, lastGood?.Commit.Sha, lastGood?.Commit.Sha, lastGood, error, Epoch.AddSeconds(30)));
}
