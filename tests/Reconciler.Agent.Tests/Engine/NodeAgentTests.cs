using System.Globalization;
using System.Net;
using Reconciler.Agent.Status;
using Reconciler.Agent.Tests.Fakes;
using Reconciler.Agent.Tests.Metrics;
using Reconciler.GitSource.Audit;
using Reconciler.GitSource.Source;
using Reconciler.Ipvs;

namespace Reconciler.Agent.Tests.Engine;

/// <summary>The agent's loop (poll -> adopt -> reconcile) over fakes: no VRRP in these topologies.</summary>
public sealed class NodeAgentTests
{
    private static readonly ServiceKey Web = ServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("10.0.0.100"), 80);
    private static readonly ServiceKey Dns = ServiceKey.ForAddress(IpvsProtocol.Udp, IPAddress.Parse("10.0.0.100"), 53);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reconcile_BeforeAnyTopology_SkippedAndKernelUntouched()
    {
        await using var harness = AgentHarness.Start(Polls.Unchanged(null));
        await harness.Agent.PollAsync(Token);

        var view = harness.Agent.Reconcile(["drift timer"]);

        Assert.Null(harness.Agent.Revision);
        Assert.StartsWith("skipped", view.Result, StringComparison.Ordinal);
        Assert.Equal(0, view.Operations);
        Assert.Equal(0, harness.Ipvs.WriteRequests);
        Assert.Empty(harness.Addresses.Addresses);
        Assert.Empty(harness.Sysctl.Writes);
        Assert.Empty(harness.Journal());
        var metrics = PrometheusText.Parse(harness.Agent.WriteMetrics());
        Assert.Equal(1, metrics.Value("reconciler_reconciles_total", ("result", "skipped")));
        Assert.Equal(0, metrics.Value("reconciler_reconciles_total", ("result", "success")));
    }

    [Fact]
    public async Task WriteMetricsAsync_ThousandsOfRealServers_SentInBoundedPiecesThatMakeTheWholeText()
    {
        await using var harness = AgentHarness.Start(Polls.NewValid("Many", Topologies.Many(30, 50)));
        await harness.PollAndReconcileAsync();
        var pieces = new List<byte[]>();

        await harness.Agent.WriteMetricsAsync((piece, _) =>
        {
            pieces.Add(piece.ToArray());
            return ValueTask.CompletedTask;
        }, TestContext.Current.CancellationToken);

        // 1,500 real servers, two series each: far more than one piece, none much more than one.
        Assert.True(pieces.Count > 10, $"{pieces.Count} pieces");
        Assert.All(pieces[..^1], piece => Assert.InRange(piece.Length, Agent.Metrics.PrometheusWriter.PieceBytes, Agent.Metrics.PrometheusWriter.PieceBytes + 512));
        var streamed = PrometheusText.Parse(System.Text.Encoding.UTF8.GetString([.. pieces.SelectMany(p => p)]));
        var whole = PrometheusText.Parse(harness.Agent.WriteMetrics());
        Assert.Equal(1500, streamed["reconciler_real_server_up"].Samples.Count);
        Assert.Equal(1500, streamed["reconciler_real_server_effective_weight"].Samples.Count);
        Assert.Equal(whole.Keys.Order(), streamed.Keys.Order());
        foreach (var name in whole.Keys.Where(name => !name.StartsWith("process_", StringComparison.Ordinal) && !name.StartsWith("dotnet_", StringComparison.Ordinal)))
        {
            Assert.Equal(whole[name].Samples.Select(Text), streamed[name].Samples.Select(Text));
        }

        static string Text(PrometheusText.Sample sample) => string.Create(CultureInfo.InvariantCulture,
            $"{sample.Name}{{{string.Join(",", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value))}}} {sample.Value}");
    }

    [Fact]
    public async Task PollAsync_NewValid_AdoptsTheTopologyAndAsksForOneReconcile()
    {
        var revision = Polls.Good("Add web and dns", Topologies.Plain);
        await using var harness = AgentHarness.Start(Polls.NewValid(revision));

        var result = await harness.Agent.PollAsync(Token);

        Assert.IsType<PollResult.NewValid>(result);
        Assert.Equal(revision.Commit.Sha, harness.Agent.Revision?.Commit.Sha);
        Assert.Equal(0, harness.Ipvs.WriteRequests);
        Assert.Equal([$"commit {revision.Commit.ShortSha}"], await harness.Agent.Trigger.WaitAsync(Token));
    }

    [Fact]
    public async Task Reconcile_AfterNewValid_ServicesInTheKernelAndASecondReconcileIsANoOp()
    {
        await using var harness = AgentHarness.Start(Polls.NewValid("Add web and dns", Topologies.Plain));

        var first = await harness.PollAndReconcileAsync();

        Assert.Equal("applied", first.Result);
        Assert.Equal(5, first.Operations);
        Assert.Equal(0, first.Failed);
        Assert.Equal(
            """
            TCP 10.0.0.100:80 wrr: 10.0.1.1:8080 w5, 10.0.1.2:8080 w1
            UDP 10.0.0.100:53 rr: 10.0.1.1:53 w1
            """.ReplaceLineEndings("\n"),
            harness.KernelSnapshot());
        var writes = harness.Ipvs.WriteRequests;

        var second = harness.Agent.Reconcile(["drift timer"]);

        Assert.Equal("no changes", second.Result);
        Assert.Equal(0, second.Operations);
        Assert.Equal(writes, harness.Ipvs.WriteRequests);
    }

    [Fact]
    public async Task Reconcile_KernelChangedByHand_DriftRepairedAndCounted()
    {
        await using var harness = AgentHarness.Start(Polls.NewValid("Add web and dns", Topologies.Plain));
        await harness.PollAndReconcileAsync();
        harness.Ipvs.DeleteDestination(Web, IPAddress.Parse("10.0.1.2"), 8080);
        harness.Ipvs.UpdateDestination(Web, new IpvsDestination(IPAddress.Parse("10.0.1.1"), 8080, IpvsForwarding.Masquerade, 1, 0, 0));

        var view = harness.Agent.Reconcile(["drift timer"]);

        Assert.Equal(2, view.Operations);
        Assert.Equal(2, view.Drift);
        Assert.Contains("10.0.1.1:8080 w5, 10.0.1.2:8080 w1", harness.KernelSnapshot(), StringComparison.Ordinal);
        Assert.Equal(2, PrometheusText.Parse(harness.Agent.WriteMetrics()).Value("reconciler_drift_repaired_total"));
    }

    [Fact]
    public async Task Reconcile_KernelFailsMidApply_ReportedAsFailedAndTheNextReconcileFinishesTheJob()
    {
        await using var harness = AgentHarness.Start(Polls.NewValid("Add web and dns", Topologies.Plain));
        harness.Ipvs.CrashAfterWrites = 2;

        var failed = await harness.PollAndReconcileAsync();

        // The batch the kernel stopped in is reported step by step (object and reason), not as one aborted apply.
        Assert.StartsWith("5 of 5 operations failed: create service web", failed.Result, StringComparison.Ordinal);
        Assert.Contains("simulated crash", failed.Result, StringComparison.Ordinal);
        Assert.Contains(harness.Agent.GetStatus().Errors, e => e.Source == "apply" && e.Message.Contains("simulated crash", StringComparison.Ordinal));
        Assert.Equal(1, PrometheusText.Parse(harness.Agent.WriteMetrics()).Value("reconciler_reconciles_total", ("result", "failed")));

        harness.Ipvs.CrashAfterWrites = null;
        var retried = harness.Agent.Reconcile(["drift timer"]);

        Assert.Equal(3, retried.Operations);
        Assert.Equal(0, harness.Agent.Reconcile(["drift timer"]).Operations);
        Assert.Contains("TCP 10.0.0.100:80 wrr: 10.0.1.1:8080 w5, 10.0.1.2:8080 w1", harness.KernelSnapshot(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconcile_ServiceNotOwned_LeftAlone()
    {
        await using var harness = AgentHarness.Start(Polls.NewValid("Add web and dns", Topologies.Plain));
        var foreign = ServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("10.9.9.9"), 22);
        harness.Ipvs.AddService(new IpvsService(foreign, "rr", IpvsServiceFlags.None, 0, uint.MaxValue, null));

        await harness.PollAndReconcileAsync();

        Assert.NotNull(harness.Ipvs.GetService(foreign));
        Assert.Equal(3, harness.Ipvs.GetServices().Count);
    }

    [Fact]
    public async Task PollAsync_Rejected_PreviousTopologyStaysInForceAndTheRefusalIsReportedEverywhere()
    {
        var good = Polls.Good("Add web and dns", Topologies.Plain);
        var rejected = Polls.Rejected("Break the port", good, "port must be at most 65535", "unknown node 'lb9'");
        await using var harness = AgentHarness.Start(Polls.NewValid(good), rejected);
        await harness.PollAndReconcileAsync();
        var kernel = harness.KernelSnapshot();

        var view = await harness.PollAndReconcileAsync();

        Assert.Equal(good.Commit.Sha, harness.Agent.Revision?.Commit.Sha);
        Assert.Equal(0, view.Operations);
        Assert.Equal(kernel, harness.KernelSnapshot());

        var status = harness.Agent.GetStatus();
        Assert.Equal("Stalled", status.Source.Condition);
        Assert.Equal(good.Commit.Sha, status.Source.Applied?.Sha);
        Assert.Equal(rejected.Commit.Sha, status.Source.Rejected?.Sha);
        Assert.Equal("Break the port", status.Source.Rejected?.Subject);
        Assert.Equal(
            ["topology/lb.yaml:12:7: error: port must be at most 65535", "topology/lb.yaml:13:7: error: unknown node 'lb9'"],
            status.Source.RejectedReasons);
        Assert.Contains(status.Errors, e => e.Source == "git" && e.Message.Contains(rejected.Commit.ShortSha, StringComparison.Ordinal));

        var metrics = harness.Agent.WriteMetrics();
        Assert.Contains("reconciler_commits_rejected_total{kind=\"invalid\"} 1\n", metrics, StringComparison.Ordinal);
        var parsed = PrometheusText.Parse(metrics);
        Assert.Equal(0, parsed.Value("reconciler_source_ready"));
        Assert.Equal(1, parsed.Value("reconciler_applied_commit_info", ("commit", good.Commit.Sha), ("node", "lb1")));

        var entry = Assert.Single(harness.Journal(), e => e.Commit == rejected.Commit.Sha);
        Assert.Equal(AuditOutcome.Rejected, entry.Outcome);
        Assert.Equal(status.Source.RejectedReasons, entry.Reasons);
        Assert.Equal("Break the port", entry.Subject);
        Assert.Equal("lb1", entry.Node);
        Assert.Equal(RejectionKind.Invalid, entry.Rejection);
        Assert.Equal("invalid", status.Source.RejectedKind);

        var text = StatusRenderer.Render(status);
        Assert.Contains($"  rejected: {rejected.Commit.ShortSha} Break the port (Alice Operator <alice@example.com>): invalid\n", text, StringComparison.Ordinal);
        Assert.Contains("    topology/lb.yaml:13:7: error: unknown node 'lb9'\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PollAsync_ValidCommitAfterARejectedOne_RefusalCleared()
    {
        var good = Polls.Good("Add web and dns", Topologies.Plain);
        await using var harness = AgentHarness.Start(
            Polls.NewValid(good),
            Polls.Rejected("Break it", good, "bad"),
            Polls.NewValid("Fix it with a third server", Topologies.PlainWithThirdServer));
        await harness.PollAndReconcileAsync();
        await harness.PollAndReconcileAsync();

        var view = await harness.PollAndReconcileAsync();

        Assert.Equal(1, view.Operations);
        var status = harness.Agent.GetStatus();
        Assert.Null(status.Source.Rejected);
        Assert.Empty(status.Source.RejectedReasons);
        Assert.Equal("Ready", status.Source.Condition);
        Assert.Equal("Fix it with a third server", status.Source.Applied?.Subject);
    }

    [Fact]
    public async Task PollAsync_Unreachable_KeepsStateAndRecordsAnError()
    {
        var good = Polls.Good("Add web and dns", Topologies.Plain);
        await using var harness = AgentHarness.Start(Polls.NewValid(good), Polls.Unreachable(good, "cannot reach git.example.com: connection timed out"));
        await harness.PollAndReconcileAsync();
        var kernel = harness.KernelSnapshot();
        var writes = harness.Ipvs.WriteRequests;

        var result = await harness.Agent.PollAsync(Token);
        var view = harness.Agent.Reconcile(["drift timer"]);

        Assert.IsType<PollResult.Unreachable>(result);
        Assert.Equal(good.Commit.Sha, harness.Agent.Revision?.Commit.Sha);
        Assert.Equal(0, view.Operations);
        Assert.Equal(writes, harness.Ipvs.WriteRequests);
        Assert.Equal(kernel, harness.KernelSnapshot());
        var status = harness.Agent.GetStatus();
        Assert.Contains(status.Errors, e => e.Source == "git" && e.Message == "cannot reach git.example.com: connection timed out");
        Assert.Equal("Stalled", status.Source.Condition);
        Assert.Equal(good.Commit.Sha, status.Source.Applied?.Sha);
        Assert.Null(status.Source.Rejected);
        var metrics = PrometheusText.Parse(harness.Agent.WriteMetrics());
        Assert.Equal(1, metrics.Value("reconciler_git_polls_total", ("result", "unreachable")));
        Assert.Equal(1, metrics.Value("reconciler_git_polls_total", ("result", "reached")));
        Assert.DoesNotContain(harness.Journal(), e => e.Outcome is AuditOutcome.Rejected or AuditOutcome.Failed);
    }

    [Fact]
    public async Task Reconcile_TopologyWithoutThisNode_NothingAppliedAndAnErrorInStatus()
    {
        await using var harness = AgentHarness.Start(Polls.NewValid("For lb7 only", Topologies.OtherNodes));

        var view = await harness.PollAndReconcileAsync();

        Assert.StartsWith("skipped", view.Result, StringComparison.Ordinal);
        Assert.Contains("'lb1'", view.Result, StringComparison.Ordinal);
        Assert.Equal(0, harness.Ipvs.WriteRequests);
        Assert.Contains(harness.Agent.GetStatus().Errors, e => e.Source == "topology" && e.Message.Contains("does not name node 'lb1'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reconcile_CommitDropsThisNode_WhatWasAppliedStays()
    {
        await using var harness = AgentHarness.Start(
            Polls.NewValid("Add web and dns", Topologies.Plain),
            Polls.NewValid("Move everything to lb7", Topologies.OtherNodes));
        await harness.PollAndReconcileAsync();
        var kernel = harness.KernelSnapshot();
        var writes = harness.Ipvs.WriteRequests;

        var view = await harness.PollAndReconcileAsync();

        Assert.StartsWith("skipped", view.Result, StringComparison.Ordinal);
        Assert.Equal(writes, harness.Ipvs.WriteRequests);
        Assert.Equal(kernel, harness.KernelSnapshot());
    }

    [Theory]
    [InlineData(Topologies.Plain)]
    [InlineData(Topologies.DirectRouting)]
    public async Task Restart_SameKernelAndStateRestoredTopology_ZeroOperations(string yaml)
    {
        var good = Polls.Good("The topology", yaml);
        await using var harness = AgentHarness.Start(Polls.NewValid(good));
        var first = await harness.PollAndReconcileAsync();
        Assert.True(first.Operations > 0);
        var kernel = harness.KernelSnapshot();
        var writes = harness.Ipvs.WriteRequests;
        var sysctlWrites = harness.Sysctl.Writes.Count;

        // The source restores its last good revision from the state folder; the remote did not move.
        await harness.RestartAsync(Polls.Unchanged(good));
        var view = await harness.PollAndReconcileAsync();

        Assert.Equal(good.Commit.Sha, harness.Agent.Revision?.Commit.Sha);
        Assert.Equal("no changes", view.Result);
        Assert.Equal(0, view.Operations);
        Assert.Equal(writes, harness.Ipvs.WriteRequests);
        Assert.Equal(sysctlWrites, harness.Sysctl.Writes.Count);
        Assert.Equal(kernel, harness.KernelSnapshot());
    }

    [Fact]
    public async Task RestoreAsync_KeptRevision_InForceAndAppliedBeforeAnyPoll()
    {
        var good = Polls.Good("The topology", Topologies.Vrrp);
        await using var harness = AgentHarness.Start();
        harness.Feed.Kept = good;

        await harness.Agent.RestoreAsync(TestContext.Current.CancellationToken);
        var view = harness.Agent.Reconcile(["test"]);

        Assert.Equal(0, harness.Feed.Polls);
        Assert.Equal(good.Commit.Sha, harness.Agent.Revision?.Commit.Sha);
        Assert.Single(harness.Vrrp.Created);
        Assert.True(view.Operations > 0);
        Assert.Contains(harness.Logs.Lines, l => l.Contains($"Restored commit {good.Commit.ShortSha}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RestoreAsync_NothingKept_NothingInForce()
    {
        await using var harness = AgentHarness.Start();

        await harness.Agent.RestoreAsync(TestContext.Current.CancellationToken);

        Assert.Null(harness.Agent.Revision);
        Assert.Empty(harness.Vrrp.Created);
    }

    [Fact]
    public async Task RestoreAsync_AfterAPollAdopted_LeavesTheNewerInForce()
    {
        var kept = Polls.Good("Kept", Topologies.Plain);
        await using var harness = AgentHarness.Start(Polls.NewValid("Newer", Topologies.PlainWithThirdServer));
        harness.Feed.Kept = kept;
        await harness.Agent.PollAsync(TestContext.Current.CancellationToken);

        await harness.Agent.RestoreAsync(TestContext.Current.CancellationToken);

        Assert.Equal(Polls.Commit("Newer").Sha, harness.Agent.Revision?.Commit.Sha);
    }

    [Fact]
    public async Task Restart_SameCommitDeliveredAsNewValid_ZeroOperations()
    {
        await using var harness = AgentHarness.Start(Polls.NewValid("Add web and dns", Topologies.Plain));
        await harness.PollAndReconcileAsync();
        var writes = harness.Ipvs.WriteRequests;

        await harness.RestartAsync(Polls.NewValid("Add web and dns", Topologies.Plain));
        var view = await harness.PollAndReconcileAsync();

        Assert.Equal(0, view.Operations);
        Assert.Equal(writes, harness.Ipvs.WriteRequests);
    }

    [Fact]
    public async Task Restart_SameCommit_NotJournaledAgain()
    {
        await using var harness = AgentHarness.Start(Polls.NewValid("Add web and dns", Topologies.Plain));
        await harness.PollAndReconcileAsync();
        var before = harness.Journal();

        await harness.RestartAsync(Polls.NewValid("Add web and dns", Topologies.Plain));
        await harness.PollAndReconcileAsync();

        Assert.Single(before);
        Assert.Equal(before.Select(AuditJournal.Serialize), harness.Journal().Select(AuditJournal.Serialize));
    }

    [Fact]
    public async Task Restart_JournalEndsInATornLine_SameCommitNotJournaledAgain()
    {
        await using var harness = AgentHarness.Start(Polls.NewValid("Add web and dns", Topologies.Plain));
        await harness.PollAndReconcileAsync();
        var journal = AuditJournal.InStateDirectory(harness.StateDirectory);
        var torn = AuditJournal.Serialize(AuditEntry.For(Polls.Epoch, AgentHarness.Node, Polls.Commit("Never finished"), AuditOutcome.Applied));
        File.AppendAllText(journal.Path, torn[..(torn.Length / 2)]); // the agent died mid-append

        await harness.RestartAsync(Polls.NewValid("Add web and dns", Topologies.Plain));
        await harness.PollAndReconcileAsync();

        var read = journal.Read();
        Assert.Single(read.Entries);
        Assert.Equal(1, read.SkippedLines);
    }

    [Fact]
    public async Task Restart_ThisNodesEntryFarBehindOtherNodesAndRejections_SameCommitNotJournaledAgain()
    {
        await using var harness = AgentHarness.Start(Polls.NewValid("Add web and dns", Topologies.Plain));
        await harness.PollAndReconcileAsync();
        var journal = AuditJournal.InStateDirectory(harness.StateDirectory);
        var rejected = Polls.Commit("Break the port");
        File.AppendAllLines(journal.Path, Enumerable.Range(0, 5_000).Select(i => AuditJournal.Serialize(i % 2 == 0
            ? AuditEntry.For(Polls.Epoch, "lb2", Polls.Commit($"lb2 change {i}"), AuditOutcome.Applied)
            : AuditEntry.For(Polls.Epoch, AgentHarness.Node, rejected, AuditOutcome.Rejected, ["port must be at most 65535"]))));

        await harness.RestartAsync(Polls.NewValid("Add web and dns", Topologies.Plain));
        await harness.PollAndReconcileAsync();

        Assert.Equal(5_001, harness.Journal().Count);
    }

    [Fact]
    public async Task StopAsync_WithoutCleanup_KernelLeftAsItWas()
    {
        await using var harness = AgentHarness.Start(Polls.NewValid("DR", Topologies.DirectRouting));
        await harness.PollAndReconcileAsync();
        var kernel = harness.KernelSnapshot();
        var writes = harness.Ipvs.WriteRequests;
        var sysctl = new Dictionary<string, string>(harness.Sysctl.Values);

        await harness.Agent.StopAsync(Token);

        Assert.Equal(kernel, harness.KernelSnapshot());
        Assert.Equal(writes, harness.Ipvs.WriteRequests);
        Assert.Equal(sysctl, harness.Sysctl.Values);
        Assert.StartsWith("skipped", harness.Agent.Reconcile(["after stop"]).Result, StringComparison.Ordinal);
        Assert.Equal(writes, harness.Ipvs.WriteRequests);
    }

    [Fact]
    public async Task StopAsync_WithCleanup_RemovesWhatTheAgentOwnsOnly()
    {
        await using var harness = AgentHarness.StartWithCleanup(Polls.NewValid("DR and more", Topologies.DirectRouting));
        var foreign = ServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("10.9.9.9"), 22);
        harness.Ipvs.AddService(new IpvsService(foreign, "rr", IpvsServiceFlags.None, 0, uint.MaxValue, null));
        harness.Addresses.Add("eth0", new Topology.Model.InterfaceAddress(IPAddress.Parse("10.0.0.1"), 24));
        await harness.PollAndReconcileAsync();
        Assert.Equal(2, harness.Ipvs.GetServices().Count);
        Assert.Equal("1", harness.Sysctl.Values["net.ipv4.conf.all.arp_ignore"]);

        await harness.Agent.StopAsync(Token);

        Assert.Equal(foreign, Assert.Single(harness.Ipvs.GetServices()).Service.Key);
        Assert.Equal("10.0.0.1/24 on eth0", harness.KernelSnapshot().Split('\n').Single(l => l.Contains(" on ", StringComparison.Ordinal)));
        Assert.Equal("0", harness.Sysctl.Values["net.ipv4.conf.all.arp_ignore"]);
        Assert.Equal("0", harness.Sysctl.Values["net.ipv4.conf.all.arp_announce"]);
        Assert.False(File.Exists(Path.Combine(harness.StateDirectory, "arp-sysctl.json")));
    }

    [Fact]
    public async Task Reconcile_DirectRoutingRealServer_VipOnLoAsAnAddressStepAndArpSysctlsSet()
    {
        await using var harness = AgentHarness.Start(Polls.NewValid("DR", Topologies.DirectRouting));

        await harness.PollAndReconcileAsync();

        var address = Assert.Single(harness.Addresses.Addresses);
        Assert.Equal("lo", address.Interface);
        Assert.Equal("10.0.0.100/32", address.Address.ToString());
        Assert.Contains(harness.Logs.Lines, l => l.StartsWith("+ address 10.0.0.100/32 on lo", StringComparison.Ordinal));
        Assert.Equal("1", harness.Sysctl.Values["net.ipv4.conf.all.arp_ignore"]);
        Assert.Equal("2", harness.Sysctl.Values["net.ipv4.conf.all.arp_announce"]);
        var entry = Assert.Single(harness.Journal());
        Assert.Equal(new AuditPlanSummary(4, 2, 0, 0), entry.Plan); // service, 2 real servers, the VIP on lo; 2 parameters
        var lines = harness.Logs.Lines.ToList();
        var parameter = lines.FindIndex(l => l.StartsWith("~ sysctl net.ipv4.conf.all.arp_ignore", StringComparison.Ordinal));
        var vip = lines.FindIndex(l => l.StartsWith("+ address 10.0.0.100/32 on lo", StringComparison.Ordinal));
        Assert.True(parameter >= 0 && parameter < vip, "the ARP parameters are set before the VIP is on lo:\n" + string.Join("\n", lines));
    }

    [Fact]
    public async Task Reconcile_NodeNoLongerADirectRoutingRealServer_VipLeavesLoAndSysctlsRestored()
    {
        await using var harness = AgentHarness.Start(
            Polls.NewValid("DR", Topologies.DirectRouting),
            Polls.NewValid("NAT now", Topologies.DirectRouting.Replace("forwarding: dr", "forwarding: nat", StringComparison.Ordinal)));
        await harness.PollAndReconcileAsync();

        await harness.PollAndReconcileAsync();

        Assert.Empty(harness.Addresses.Addresses);
        Assert.Equal("0", harness.Sysctl.Values["net.ipv4.conf.all.arp_ignore"]);
        Assert.Equal("0", harness.Sysctl.Values["net.ipv4.conf.all.arp_announce"]);
        Assert.Contains(harness.Logs.Lines, l => l.StartsWith("- address 10.0.0.100/32 on lo", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WriteMetrics_AfterApplyAndNoOp_ReconcileCountsAndOperationsByAction()
    {
        await using var harness = AgentHarness.Start(
            Polls.NewValid("Add web and dns", Topologies.Plain),
            Polls.NewValid("Third server", Topologies.PlainWithThirdServer));
        await harness.PollAndReconcileAsync();
        harness.Agent.Reconcile(["drift timer"]);
        await harness.PollAndReconcileAsync();

        var text = harness.Agent.WriteMetrics();
        var metrics = PrometheusText.Parse(text);

        Assert.Contains("reconciler_reconciles_total{result=\"success\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("reconciler_operations_applied_total{action=\"create\"} 6\n", text, StringComparison.Ordinal);
        Assert.Equal(0, metrics.Value("reconciler_reconciles_total", ("result", "failed")));
        Assert.Equal(0, metrics.Value("reconciler_operations_applied_total", ("action", "delete")));
        Assert.Equal(2, metrics.Value("reconciler_commits_applied_total"));
        Assert.Equal(1, metrics.Value("reconciler_source_ready"));
        Assert.Equal(3, metrics["reconciler_reconcile_duration_seconds"].Samples.Single(s => s.Name == "reconciler_reconcile_duration_seconds_count").Value);
        Assert.Equal(harness.Agent.Trigger.Requests, metrics.Value("reconciler_reconcile_triggers_total"));
    }

    [Fact]
    public async Task AuditJournal_OneEntryPerNewCommitAndNoneForANoOpReconcile()
    {
        var first = Polls.Good("Add web and dns", Topologies.Plain);
        var second = Polls.Good("Third server", Topologies.PlainWithThirdServer);
        await using var harness = AgentHarness.Start(Polls.NewValid(first), Polls.Unchanged(first), Polls.NewValid(second));
        await harness.PollAndReconcileAsync();
        await harness.PollAndReconcileAsync();
        harness.Agent.Reconcile(["drift timer"]);

        var afterFirst = harness.Journal();
        await harness.PollAndReconcileAsync();
        var entries = harness.Journal();

        var applied = Assert.Single(afterFirst);
        Assert.Equal(first.Commit.Sha, applied.Commit);
        Assert.Equal(AuditOutcome.Applied, applied.Outcome);
        Assert.Equal(new AuditPlanSummary(5, 0, 0, 0), applied.Plan);
        Assert.Equal(5, applied.OperationsApplied);
        Assert.Equal(0, applied.OperationsFailed);
        Assert.Equal(["test"], applied.Reasons);
        Assert.Equal("Alice Operator <alice@example.com>", applied.Author);

        Assert.Equal(2, entries.Count);
        Assert.Equal(second.Commit.Sha, entries[1].Commit);
        Assert.Equal(AuditOutcome.Applied, entries[1].Outcome);
        Assert.Equal(new AuditPlanSummary(1, 0, 0, 0), entries[1].Plan);
    }

    [Fact]
    public async Task AuditJournal_CommitWithNothingForThisNode_RecordedOnceAsSkipped()
    {
        var good = Polls.Good("Add web and dns", Topologies.Plain);
        await using var harness = AgentHarness.Start(Polls.NewValid(good));
        await harness.PollAndReconcileAsync();

        await harness.RestartAsync(Polls.NewValid(Polls.Good("Comment-only change", Topologies.Plain)));
        await harness.PollAndReconcileAsync();
        harness.Agent.Reconcile(["drift timer"]);

        var entries = harness.Journal();
        Assert.Equal(2, entries.Count);
        Assert.Equal(AuditOutcome.Skipped, entries[1].Outcome);
        Assert.Contains("no changes for this node", entries[1].Reasons);
    }

    [Fact]
    public async Task GetStatus_AfterApply_ServicesWithKernelWeightsAndTheLastReconcile()
    {
        var good = Polls.Good("Add web and dns", Topologies.Plain);
        await using var harness = AgentHarness.Start(Polls.NewValid(good));
        await harness.PollAndReconcileAsync();

        var status = harness.Agent.GetStatus();

        Assert.Equal("lb1", status.Node);
        Assert.Equal("https://git.example.com/lb/topology.git", status.Source.Repository);
        Assert.Equal("main", status.Source.Ref);
        Assert.Equal("Ready", status.Source.Condition);
        Assert.Equal(good.Commit.Sha, status.LastReconcile?.Commit);
        Assert.Equal(["web", "dns"], status.Services.Select(s => s.Name));
        Assert.All(status.Services, s => Assert.True(s.InKernel));
        var server = status.Services[0].RealServers[0];
        Assert.Equal(("10.0.1.1:8080", 5, 5, 5), (server.Endpoint, server.ConfiguredWeight, server.EffectiveWeight, server.KernelWeight));
        Assert.Empty(status.Errors);
        Assert.Empty(status.Vrrp);

        var text = StatusRenderer.Render(status);
        Assert.Contains($"  applied:  {good.Commit.ShortSha} Add web and dns (Alice Operator <alice@example.com>, 2026-11-25 12:00:00Z)\n", text, StringComparison.Ordinal);
        Assert.Contains("Service web TCP 10.0.0.100:80: in kernel\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisposeAsync_DisposesTheFeed()
    {
        var harness = AgentHarness.Start();
        var feed = harness.Feed;

        await harness.DisposeAsync();

        Assert.True(feed.Disposed);
    }

    [Fact]
    public async Task DisposeAsync_Twice_SecondIsANoOp()
    {
        // The host's container disposes the agent it built; a second dispose (the host's own) once threw
        // ObjectDisposedException from the closed topology gate, and the agent exited non-zero on SIGTERM.
        await using var harness = AgentHarness.Start(Polls.NewValid("Add web and dns", Topologies.Plain));
        await harness.PollAndReconcileAsync();
        await harness.Agent.StopAsync(Token);

        await harness.Agent.DisposeAsync();
        var again = await Record.ExceptionAsync(async () => await harness.Agent.DisposeAsync());

        Assert.Null(again);
        Assert.True(harness.Feed.Disposed);
    }
}
