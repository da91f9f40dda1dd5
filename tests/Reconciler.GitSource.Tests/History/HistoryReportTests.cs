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

        Assert.Equal(["applied", "not seen", "rejected", "applied", "skipped"], report.Rows.Select(r => r.Status));
        Assert.Equal(T0.AddMinutes(10), report.Rows[0].AppliedAt);
        Assert.False(report.Rows[^1].OnBranch);
        Assert.Equal(1, report.UnreadableJournalLines);

        var expected = $"""
            History of topology on node lb1: 5 commit(s)
            (1 unreadable journal line(s) skipped)

            COMMIT        COMMITTED             AUTHOR       SUBJECT                                   STATUS    WHEN                  RESULT
            {fix.Sha[..12]}  2026-01-01 12:04:00Z  Alice Admin  Weight 7, a rather long subject line th…  applied   2026-11-25 10:10:00Z  ok (1 ops)
                earlier: failed 2026-11-25 10:09:00Z
            {superseded.Sha[..12]}  2026-01-01 12:03:00Z  Alice Admin  Weight 6                                  not seen  -
            {broken.Sha[..12]}  2026-01-01 12:02:00Z  Bob Builder  Break the weights                         rejected  2026-11-25 10:05:00Z
                - topology/lb.yaml:8:11: error: services[0].port: 70000 is greater than the maximum 65535
            {seed.Sha[..12]}  2026-01-01 12:00:00Z  Alice Admin  Seed topology                             applied   2026-11-25 10:00:00Z  ok (5 ops)
            f00dfeed0000  -                     Eve          Pinned hotfix                             skipped   2026-11-25 10:11:00Z
                (not on the followed branch's topology history)
                - pinned revision is not on main

            """;
        Assert.Equal(expected, HistoryRenderer.RenderText(report));

        using var json = JsonDocument.Parse(HistoryRenderer.RenderJson(report));
        var commits = json.RootElement.GetProperty("commits");
        Assert.Equal(5, commits.GetArrayLength());
        Assert.Equal("applied", commits[0].GetProperty("status").GetString());
        Assert.Equal(2, commits[0].GetProperty("entries").GetArrayLength());
        Assert.Equal("rejected", commits[2].GetProperty("entries")[0].GetProperty("outcome").GetString());
    }

    public void Dispose() => _temp.Dispose();
}
