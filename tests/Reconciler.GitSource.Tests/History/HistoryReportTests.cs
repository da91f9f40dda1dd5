using System.Text.Json;
using Reconciler.GitSource.Audit;
using Reconciler.GitSource.History;
using Reconciler.GitSource.Source;
using Reconciler.GitSource.Tests.Fixtures;

namespace Reconciler.GitSource.Tests.History;

public sealed class HistoryReportTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();

    [Fact]
    public void Build_GitLogOfPathMergedWithJournal_TextGoldenAndJson()
    {
        using var repo = new TestRepository(_temp.Sub("r.git"));
        var seed = repo.Commit("Seed topology", "topology/lb.yaml", Samples.Seed);
        repo.Commit("Docs only", "README.md", "not the topology");
        var broken = repo.Commit("Break the weights", new Dictionary<string, string?> { ["topology/lb.yaml"] = Samples.Invalid }, author: "Bob Builder");
        var superseded = repo.Commit("Weight 6", "topology/lb.yaml", Samples.Seed.Replace("weight: 5", "weight: 6", StringComparison.Ordinal));
        var fix = repo.Commit("Weight 7, a rather long subject line that will be cut short", "topology/lb.yaml", Samples.Seed.Replace("weight: 5", "weight: 7", StringComparison.Ordinal));

        var journal = AuditJournal.InStateDirectory(_temp.Sub("state"));
        CommitInfo Info(LibGit2Sharp.Commit c) => CommitInfo.Of(c);
        journal.Append(AuditEntry.For(T0, "lb1", Info(seed), AuditOutcome.Applied, plan: new AuditPlanSummary(5, 0, 0, 0), operationsApplied: 5, result: "ok"));
        journal.Append(AuditEntry.For(T0.AddMinutes(1), "lb2", Info(seed), AuditOutcome.Failed, ["netlink: EPERM"], operationsApplied: 0, operationsFailed: 5));
        journal.Append(AuditEntry.For(T0.AddMinutes(5), "lb1", Info(broken), AuditOutcome.Rejected, ["topology/lb.yaml:8:11: error: services[0].port: 70000 is greater than the maximum 65535"]));
        journal.Append(AuditEntry.For(T0.AddMinutes(9), "lb1", Info(fix), AuditOutcome.Failed, ["step 2: EBUSY"], plan: new AuditPlanSummary(0, 1, 0, 0), operationsApplied: 0, operationsFailed: 1, result: "failed"));
        journal.Append(AuditEntry.For(T0.AddMinutes(10), "lb1", Info(fix), AuditOutcome.Applied, plan: new AuditPlanSummary(0, 1, 0, 0), operationsApplied: 1, result: "ok"));
        journal.Append(new AuditEntry(T0.AddMinutes(11), "lb1", "f00dfeed".PadRight(40, '0'), "Eve <eve@example.org>", null, "Pinned hotfix", AuditOutcome.Skipped, ["pinned revision is not on main"], null, 0, 0, null));
        File.AppendAllText(journal.Path, "{\"time\":\"2026-11-25T10:1"); // torn by a crash

        var log = GitTopologyReader.Log(repo.Repository, repo.Tip!, "topology");
        Assert.Equal([fix.Sha, superseded.Sha, broken.Sha, seed.Sha], log.Select(c => c.Sha));
        var report = HistoryReport.Build("lb1", "topology", log, journal.Read());

        // The pinned hotfix, which no branch reaches, comes where the node dealt with it: last, so first.
        Assert.Equal(["skipped", "applied", "not seen", "rejected", "applied"], report.Rows.Select(r => r.Status));
        Assert.Equal(T0.AddMinutes(10), report.Rows[1].AppliedAt);
        Assert.False(report.Rows[0].OnBranch);
        Assert.All(report.Rows.Skip(1), r => Assert.True(r.OnBranch));
        Assert.Equal(1, report.UnreadableJournalLines);

        var expected = $"""
            History of topology on node lb1: 5 commit(s)
            (1 unreadable journal line(s) skipped)

            COMMIT        COMMITTED             AUTHOR       SUBJECT                                   STATUS    WHEN                  RESULT
            f00dfeed0000  -                     Eve          Pinned hotfix                             skipped   2026-11-25 10:11:00Z
                by Eve <eve@example.org>, signature not checked
                (not on the followed branch's topology history)
                - pinned revision is not on main
            {fix.Sha[..12]}  2026-01-01 12:04:00Z  Alice Admin  Weight 7, a rather long subject line th…  applied   2026-11-25 10:10:00Z  ok (1 ops)
                by Alice Admin <alice@example.org>, committed by CI Bot <ci@example.org>, signature not checked
                earlier: failed 2026-11-25 10:09:00Z
            {superseded.Sha[..12]}  2026-01-01 12:03:00Z  Alice Admin  Weight 6                                  not seen  -
                by Alice Admin <alice@example.org>, committed by CI Bot <ci@example.org>, signature not checked
            {broken.Sha[..12]}  2026-01-01 12:02:00Z  Bob Builder  Break the weights                         rejected  2026-11-25 10:05:00Z
                by Bob Builder <bob@example.org>, committed by CI Bot <ci@example.org>, signature not checked
                - topology/lb.yaml:8:11: error: services[0].port: 70000 is greater than the maximum 65535
            {seed.Sha[..12]}  2026-01-01 12:00:00Z  Alice Admin  Seed topology                             applied   2026-11-25 10:00:00Z  ok (5 ops)
                by Alice Admin <alice@example.org>, committed by CI Bot <ci@example.org>, signature not checked

            """;
        Assert.Equal(expected, HistoryRenderer.RenderText(report));

        using var json = JsonDocument.Parse(HistoryRenderer.RenderJson(report));
        var commits = json.RootElement.GetProperty("commits");
        Assert.Equal(5, commits.GetArrayLength());
        Assert.Equal("applied", commits[1].GetProperty("status").GetString());
        Assert.Equal(2, commits[1].GetProperty("entries").GetArrayLength());
        Assert.Equal("rejected", commits[3].GetProperty("entries")[0].GetProperty("outcome").GetString());
    }

    [Fact]
    public void RenderText_WhoChangedItAndWasItSigned_AuthorCommitterAndVerifiedSignerShownOldEntriesStillRead()
    {
        using var repo = new TestRepository(_temp.Sub("r.git"));
        var old = repo.Commit("Seed topology", "topology/lb.yaml", Samples.Seed);
        var signed = repo.Commit("Weight 6", new Dictionary<string, string?> { ["topology/lb.yaml"] = Samples.Seed.Replace("weight: 5", "weight: 6", StringComparison.Ordinal) }, author: "Bob Builder");
        var journal = AuditJournal.InStateDirectory(_temp.Sub("state"));
        // Written before the journal recorded commit times and signers: read as they are.
        File.WriteAllText(journal.Path, $$"""
            {"time":"2026-11-25T10:00:00+00:00","node":"lb1","commit":"{{old.Sha}}","author":"Alice Admin <alice@example.org>","committer":"CI Bot <ci@example.org>","subject":"Seed topology","outcome":"applied","reasons":[],"operationsApplied":5,"operationsFailed":0,"result":"ok"}
            {"time":"2026-11-25T10:05:00+00:00","node":"lb1","commit":"{{signed.Sha}}","author":"Bob Builder <bob@example.org>","committer":"CI Bot <ci@example.org>","commitTime":"2026-01-01T12:01:00+00:00","signer":"sam@example.org","subject":"Weight 6","outcome":"applied","reasons":[],"operationsApplied":1,"operationsFailed":0,"result":"ok"}

            """);

        var read = journal.Read();
        Assert.Equal(0, read.SkippedLines);
        var report = HistoryReport.Build("lb1", "topology", GitTopologyReader.Log(repo.Repository, repo.Tip!, "topology"), read);
        var text = HistoryRenderer.RenderText(report);

        Assert.Contains("    by Bob Builder <bob@example.org>, committed by CI Bot <ci@example.org>, signature verified: sam@example.org\n", text, StringComparison.Ordinal);
        Assert.Contains("    by Alice Admin <alice@example.org>, committed by CI Bot <ci@example.org>, signature not checked\n", text, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(HistoryRenderer.RenderJson(report));
        Assert.Equal("sam@example.org", json.RootElement.GetProperty("commits")[0].GetProperty("signer").GetString());
        Assert.Equal("CI Bot <ci@example.org>", json.RootElement.GetProperty("commits")[0].GetProperty("committer").GetString());
    }

    public void Dispose() => _temp.Dispose();
}
