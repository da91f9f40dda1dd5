using System.Text.RegularExpressions;
using Reconciler.Agent.Tests.Fakes;
using Reconciler.Agent.Tests.Metrics;
using Reconciler.GitSource.Audit;
using Reconciler.GitSource.Source;

namespace Reconciler.Agent.Tests.Faults;

/// <summary>
/// Faults on the git side, with the real git source fetching from a real <c>git daemon</c> on 127.0.0.1 and the
/// fake kernel: the server going away and coming back, a force-push, a commit wiping the topology, an invalid commit.
/// </summary>
public sealed partial class GitFaultTests
{
    /// <summary>A different topology: one HTTPS service on another VIP, no service in common with <see cref="Topologies.Plain"/>.</summary>
    private const string Rewritten = """
        nodes:
          - name: lb1
            addresses: [10.0.0.1]
            interfaces: [eth0]
        services:
          - name: api
            address: 10.0.0.200
            port: 443
            scheduler: rr
            forwarding: nat
            realServers:
              - address: 10.0.2.1
                port: 8443
              - address: 10.0.2.2
                port: 8443
        """;

    /// <summary>lb1 kept, every service gone.</summary>
    private const string NoServices = """
        nodes:
          - name: lb1
            addresses: [10.0.0.1]
            interfaces: [eth0]
        services: []
        """;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [GeneratedRegex(@"topology/lb\.yaml:\d+:\d+: error: ")]
    private static partial Regex LocatedError();

    [Fact]
    public async Task PollAsync_ServerDownForSeveralPollsThenBack_BackoffGrowsLastGoodStaysKernelUntouchedNextCommitApplied()
    {
        await using var harness = new GitAgentHarness();
        var first = harness.Server.Push("Add web and dns", Topologies.Plain);
        var (poll, applied) = await harness.PollAndReconcileAsync();
        Assert.IsType<PollResult.NewValid>(poll);
        Assert.Equal("applied", applied.Result);
        var kernel = harness.KernelSnapshot();
        var writes = harness.Ipvs.WriteRequests;

        harness.Server.Daemon.Stop();
        var newer = harness.Server.Push("Third web server, pushed while the daemon is down", Topologies.PlainWithThirdServer);
        var delays = new List<TimeSpan>();
        for (var i = 1; i <= 4; i++)
        {
            var (down, reconcile) = await harness.PollAndReconcileAsync();
            var unreachable = Assert.IsType<PollResult.Unreachable>(down);
            Assert.Equal(i, unreachable.ConsecutiveFailures);
            Assert.Contains("127.0.0.1", unreachable.Error, StringComparison.Ordinal);
            Assert.Equal(first, harness.Agent.Revision?.Commit.Sha);
            Assert.Equal("no changes", reconcile.Result);
            Assert.Equal(first, reconcile.Commit);
            Assert.Equal(kernel, harness.KernelSnapshot());
            Assert.Equal(writes, harness.Ipvs.WriteRequests);
            delays.Add(unreachable.RetryAfter);
            await Task.Delay(unreachable.RetryAfter, Token); // the agent's loop waits this long before the next poll
        }

        Assert.Equal([100, 200, 400, 800], delays.Select(d => (int)d.TotalMilliseconds));
        var status = harness.Agent.GetStatus();
        Assert.Equal("Stalled", status.Source.Condition);
        Assert.Equal(first, status.Source.Applied?.Sha);
        Assert.NotNull(status.Source.NextAttemptAt);
        Assert.Contains("127.0.0.1", status.Source.Message, StringComparison.Ordinal);
        Assert.Equal(4, status.Errors.Count(e => e.Source == "git"));
        var metrics = PrometheusText.Parse(harness.Agent.WriteMetrics());
        Assert.Equal(4, metrics.Value("reconciler_git_polls_total", ("result", "unreachable")));
        Assert.Equal(1, metrics.Value("reconciler_git_polls_total", ("result", "reached")));
        Assert.Equal(0, metrics.Value("reconciler_source_ready"));
        Assert.DoesNotContain(harness.Journal(), e => e.Commit == newer);

        harness.Server.Daemon.Start(); // same port
        var (back, recovered) = await harness.PollAndReconcileAsync();

        var valid = Assert.IsType<PollResult.NewValid>(back);
        Assert.Equal(newer, valid.Commit.Sha);
        Assert.Equal("applied", recovered.Result);
        Assert.Equal(1, recovered.Operations);
        Assert.Contains("10.0.1.3:8080", harness.KernelSnapshot(), StringComparison.Ordinal);
        Assert.Equal("Ready", harness.Agent.GetStatus().Source.Condition);
        Assert.Null(harness.Agent.GetStatus().Source.NextAttemptAt);
        metrics = PrometheusText.Parse(harness.Agent.WriteMetrics());
        Assert.Equal(1, metrics.Value("reconciler_source_ready"));
        Assert.Equal(2, metrics.Value("reconciler_git_polls_total", ("result", "reached")));
        Assert.Equal(AuditOutcome.Applied, Assert.Single(harness.Journal(), e => e.Commit == newer).Outcome);
    }

    [Fact]
    public async Task PollAsync_ForcePushToANewRootWithNonFastForwardAllowed_AgentFollowsTheRefAndAppliesTheNewTopologyAndJournalsIt()
    {
        // Removes 2 of 2 services: past the default limit, so this node allows mass removal for the rewrite to go through,
        // and it allows a tip that does not descend from the last applied commit.
        await using var permissive = new GitAgentHarness(allowMassRemoval: true, allowNonFastForward: true);
        var old = permissive.Server.Push("Add web and dns", Topologies.Plain);
        permissive.Server.Push("Third web server", Topologies.PlainWithThirdServer);
        Assert.Equal("applied", (await permissive.PollAndReconcileAsync()).Reconcile.Result);
        var root = permissive.Server.ForcePushNewRoot("Start over: api only", Rewritten);
        Assert.False(permissive.Server.ServerHasInHistory(old), "the old history is gone from main");

        var (poll, reconcile) = await permissive.PollAndReconcileAsync();

        var valid = Assert.IsType<PollResult.NewValid>(poll);
        Assert.Equal(root, valid.Commit.Sha);
        Assert.Equal(root, permissive.Agent.Revision?.Commit.Sha);
        Assert.Equal("applied", reconcile.Result);
        var kernel = permissive.KernelSnapshot();
        Assert.Contains("10.0.0.200:443", kernel, StringComparison.Ordinal);
        Assert.Contains("10.0.2.2:8443", kernel, StringComparison.Ordinal);
        Assert.DoesNotContain("10.0.0.100:53", kernel, StringComparison.Ordinal); // udp: deleted at once
        Assert.Equal(root, permissive.Source.Status.LastAttemptedRevision);
        var entry = Assert.Single(permissive.Journal(), e => e.Commit == root);
        Assert.Equal(AuditOutcome.Applied, entry.Outcome);
        Assert.Equal("Start over: api only", entry.Subject);
        Assert.Equal("Ready", permissive.Agent.GetStatus().Source.Condition);
    }

    [Fact]
    public async Task PollAsync_ForcePushWithinTheLimit_RefusedAsNotFastForwardEverywhereThenAppliedOnceTheOperatorAcceptsIt()
    {
        await using var harness = new GitAgentHarness();
        var old = harness.Server.Push("Add web and dns", Topologies.Plain);
        var applied = harness.Server.Push("Third web server", Topologies.PlainWithThirdServer);
        Assert.Equal("applied", (await harness.PollAndReconcileAsync()).Reconcile.Result);
        var kernel = harness.KernelSnapshot();
        var writes = harness.Ipvs.WriteRequests;

        // The rewrite keeps web (without its third server) and drops dns: 1 of 2 removed, at the 50 % limit.
        var webOnly = Topologies.Plain[..Topologies.Plain.IndexOf("  - name: dns", StringComparison.Ordinal)];
        var root = harness.Server.ForcePushNewRoot("Rewrite history: web only", webOnly);
        Assert.False(harness.Server.ServerHasInHistory(old));

        var (poll, reconcile) = await harness.PollAndReconcileAsync();

        var rejected = Assert.IsType<PollResult.Rejected>(poll);
        Assert.Equal(RejectionKind.NotFastForward, rejected.Kind);
        Assert.Equal(root, rejected.Commit.Sha);
        Assert.Equal(applied, harness.Agent.Revision?.Commit.Sha);
        Assert.Equal("no changes", reconcile.Result);
        Assert.Equal(kernel, harness.KernelSnapshot());
        Assert.Equal(writes, harness.Ipvs.WriteRequests);
        Assert.Contains(harness.Logs.Lines, l => l.Contains(rejected.Commit.ShortSha, StringComparison.Ordinal) && l.Contains("NotFastForward", StringComparison.Ordinal));
        Assert.Contains(harness.Logs.Lines, l => l.Contains($"does not descend from the last applied commit {applied}", StringComparison.Ordinal));
        var status = harness.Agent.GetStatus();
        Assert.Equal("Stalled", status.Source.Condition);
        Assert.Equal(root, status.Source.Rejected?.Sha);
        Assert.Equal("not-fast-forward", status.Source.RejectedKind);
        Assert.Contains($"accept-tip {root}", Assert.Single(status.Source.RejectedReasons), StringComparison.Ordinal);
        var metrics = PrometheusText.Parse(harness.Agent.WriteMetrics());
        Assert.Equal(1, metrics.Value("reconciler_commits_rejected_total", ("kind", "not-fast-forward")));
        Assert.Equal(0, metrics.Value("reconciler_commits_rejected_total", ("kind", "invalid")));
        var entry = Assert.Single(harness.Journal(), e => e.Commit == root);
        Assert.Equal(AuditOutcome.Rejected, entry.Outcome);
        Assert.Equal(RejectionKind.NotFastForward, entry.Rejection);

        TipAcceptance.Write(harness.StateDirectory, root);
        (poll, reconcile) = await harness.PollAndReconcileAsync();

        Assert.Equal(root, Assert.IsType<PollResult.NewValid>(poll).Commit.Sha);
        Assert.Equal("applied", reconcile.Result);
        kernel = harness.KernelSnapshot();
        Assert.DoesNotContain("10.0.0.100:53", kernel, StringComparison.Ordinal);
        Assert.Contains("10.0.0.100:80", kernel, StringComparison.Ordinal);
        Assert.Equal(AuditOutcome.Applied, harness.Journal().Last(e => e.Commit == root).Outcome);
        Assert.False(File.Exists(TipAcceptance.PathIn(harness.StateDirectory)));
    }

    [Fact]
    public async Task PollAsync_CommitRemovingEveryService_RejectedBySafetyLimitAndNothingRemoved()
    {
        await using var harness = new GitAgentHarness();
        var good = harness.Server.Push("Add web and dns", Topologies.Plain);
        await harness.PollAndReconcileAsync();
        var kernel = harness.KernelSnapshot();
        var writes = harness.Ipvs.WriteRequests;

        var wipe = harness.Server.Push("Oops: every service gone", NoServices);
        var (poll, reconcile) = await harness.PollAndReconcileAsync();

        var rejected = Assert.IsType<PollResult.Rejected>(poll);
        Assert.Equal(RejectionKind.SafetyLimit, rejected.Kind);
        Assert.Equal(wipe, rejected.Commit.Sha);
        Assert.Contains(rejected.Reasons, r => r.Contains("removes every service (2)", StringComparison.Ordinal));
        Assert.Equal(good, harness.Agent.Revision?.Commit.Sha);
        Assert.Equal("no changes", reconcile.Result);
        Assert.Equal(kernel, harness.KernelSnapshot());
        Assert.Equal(writes, harness.Ipvs.WriteRequests);
        var status = harness.Agent.GetStatus();
        Assert.Equal(wipe, status.Source.Rejected?.Sha);
        Assert.Contains(status.Errors, e => e.Source == "git" && e.Message.Contains("SafetyLimit", StringComparison.Ordinal));
        Assert.Equal(AuditOutcome.Rejected, Assert.Single(harness.Journal(), e => e.Commit == wipe).Outcome);
        Assert.Equal(1, PrometheusText.Parse(harness.Agent.WriteMetrics()).Value("reconciler_commits_rejected_total", ("kind", "safety-limit")));
    }

    [Fact]
    public async Task Reconcile_SourceRecordLost_CommitRemovingEveryService_RefusedAtPlanLevel_KernelUntouched()
    {
        await using var harness = new GitAgentHarness();
        harness.Server.Push("Add web and dns", Topologies.Plain);
        await harness.PollAndReconcileAsync();
        var kernel = harness.KernelSnapshot();
        var writes = harness.Ipvs.WriteRequests;

        // The agent restarts without its record of the last good commit, nor the journal it could find it in again: the
        // per-commit limit has nothing to compare with. What the node runs is what the plan-level limit counts.
        File.Delete(Path.Combine(harness.StateDirectory, "git-source.json"));
        File.Delete(Path.Combine(harness.StateDirectory, AuditJournal.DefaultFileName));
        await harness.RestartAsync();
        var wipe = harness.Server.Push("Oops: every service gone", NoServices);
        var (poll, reconcile) = await harness.PollAndReconcileAsync();
        var again = harness.Agent.Reconcile(["drift check"]);

        Assert.Equal(wipe, Assert.IsType<PollResult.NewValid>(poll).Commit.Sha);
        Assert.StartsWith("refused: the plan deletes every service this node manages (2)", reconcile.Result, StringComparison.Ordinal);
        Assert.StartsWith("refused:", again.Result, StringComparison.Ordinal);
        Assert.Equal(kernel, harness.KernelSnapshot());
        Assert.Equal(writes, harness.Ipvs.WriteRequests);
        var error = Assert.Single(harness.Agent.GetStatus().Errors, e => e.Source == "safety-limit");
        Assert.Contains("allowMassRemoval", error.Message, StringComparison.Ordinal);
        Assert.Equal(AuditOutcome.Rejected, Assert.Single(harness.Journal(), e => e.Commit == wipe).Outcome);
        Assert.Equal(2, PrometheusText.Parse(harness.Agent.WriteMetrics()).Value("reconciler_plans_refused_total"));
    }

    [Fact]
    public async Task PollAsync_CommitRemovingMostServicesWithAllowMassRemoval_Applied()
    {
        await using var harness = new GitAgentHarness(allowMassRemoval: true);
        harness.Server.Push("Add web and dns", Topologies.Plain);
        await harness.PollAndReconcileAsync();

        var wipe = harness.Server.Push("Decommission: every service gone", NoServices);
        var (poll, reconcile) = await harness.PollAndReconcileAsync();

        Assert.Equal(wipe, Assert.IsType<PollResult.NewValid>(poll).Commit.Sha);
        Assert.Equal("applied", reconcile.Result);
        // dns (UDP) goes at once; web (TCP) is drained first: weight 0 on its real servers, deleted later.
        var kernel = harness.KernelSnapshot();
        Assert.DoesNotContain("10.0.0.100:53", kernel, StringComparison.Ordinal);
        Assert.Equal(AuditOutcome.Applied, Assert.Single(harness.Journal(), e => e.Commit == wipe).Outcome);
    }

    [Fact]
    public async Task PollAsync_InvalidCommit_RejectedWithFileLineColumnKernelUntouchedThenNextValidCommitApplies()
    {
        await using var harness = new GitAgentHarness();
        var good = harness.Server.Push("Add web and dns", Topologies.Plain);
        await harness.PollAndReconcileAsync();
        var kernel = harness.KernelSnapshot();
        var writes = harness.Ipvs.WriteRequests;

        var broken = harness.Server.Push("Typo in the port", Topologies.PlainWithThirdServer.Replace("port: 80\n", "port: 80000\n", StringComparison.Ordinal));
        var (poll, reconcile) = await harness.PollAndReconcileAsync();

        var rejected = Assert.IsType<PollResult.Rejected>(poll);
        Assert.Equal(RejectionKind.Invalid, rejected.Kind);
        Assert.Equal(broken, rejected.Commit.Sha);
        Assert.NotEmpty(rejected.Reasons);
        Assert.All(rejected.Reasons, r => Assert.Matches(LocatedError(), r));
        TestContext.Current.SendDiagnosticMessage("rejected: " + string.Join(" | ", rejected.Reasons));
        Assert.Equal(good, harness.Agent.Revision?.Commit.Sha);
        Assert.Equal("no changes", reconcile.Result);
        Assert.Equal(kernel, harness.KernelSnapshot());
        Assert.Equal(writes, harness.Ipvs.WriteRequests);
        var status = harness.Agent.GetStatus();
        Assert.Equal("Stalled", status.Source.Condition);
        Assert.Equal(broken, status.Source.Rejected?.Sha);
        Assert.All(status.Source.RejectedReasons, r => Assert.Matches(LocatedError(), r));
        var entry = Assert.Single(harness.Journal(), e => e.Commit == broken);
        Assert.Equal(AuditOutcome.Rejected, entry.Outcome);
        Assert.All(entry.Reasons, r => Assert.Matches(LocatedError(), r));

        var fixedCommit = harness.Server.Push("Fix the port", Topologies.PlainWithThirdServer);
        var (next, applied) = await harness.PollAndReconcileAsync();

        Assert.Equal(fixedCommit, Assert.IsType<PollResult.NewValid>(next).Commit.Sha);
        Assert.Equal("applied", applied.Result);
        Assert.Contains("10.0.1.3:8080", harness.KernelSnapshot(), StringComparison.Ordinal);
        status = harness.Agent.GetStatus();
        Assert.Equal("Ready", status.Source.Condition);
        Assert.Null(status.Source.Rejected);
    }
}
