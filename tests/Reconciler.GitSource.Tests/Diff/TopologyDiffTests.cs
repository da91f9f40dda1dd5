using System.Text.Json;
using Reconciler.GitSource.Diff;
using Reconciler.GitSource.Tests.Fixtures;
using static Reconciler.GitSource.Tests.Diff.DiffFixtures;

namespace Reconciler.GitSource.Tests.Diff;

/// <summary>Golden tests on the seed-like topology: the full rendered text is compared (the Markdown comment in
/// <see cref="PullRequestCommentTests"/>).</summary>
public sealed class TopologyDiffTests
{
    [Fact]
    public void RenderText_WeightRealServerVipMovePriority_Golden()
    {
        var diff = DiffOf(Samples.Seed, Edit(Samples.Seed, Weight, AddRealServer, MoveVipOut, MoveVipIn, Priority));
        Assert.Equal(
            """"
        Topology diff 1111111aaaaa -> 2222222bbbbb
        2222222bbbbb is valid.

        lb1: 1 to add, 3 to change, 0 to destroy
        lb2: 1 to add, 3 to change, 0 to destroy

        Risks:
          ! VIP 192.168.1.122/32 moves from VRRP instance VI_1 to VI_2 (MASTER lb1 -> MASTER lb2)

        Topology: 1 added, 3 changed, 0 removed
        ~ vrrp instance VI_1
              priorities.lb2: 80 -> 90
              virtualAddresses: [192.168.1.120/32, 192.168.1.122/32] -> [192.168.1.120/32]
        ~ vrrp instance VI_2
              virtualAddresses: [192.168.1.121/32] -> [192.168.1.121/32, 192.168.1.122/32]
        ~ service api (TCP 192.168.1.121:8080)
        +   real server 10.0.0.13:8080 (weight 3, nat)
        ~ service web (TCP 192.168.1.120:80)
        ~   real server 192.168.1.104:80
                weight: 5 -> 10

        Node lb1 (desired state, without runtime health or VRRP role): 1 to add, 3 to change, 0 to destroy
        ~ ipvs service TCP 192.168.1.120:80 (web)
        ~   destination 192.168.1.104:80
                weight: 5 -> 10
        ~ ipvs service TCP 192.168.1.121:8080 (api)
        +   destination 10.0.0.13:8080 (weight 3)
        ~ vrrp VI_1
              virtualAddresses: [192.168.1.120/32, 192.168.1.122/32] -> [192.168.1.120/32]
        ~ vrrp VI_2
              virtualAddresses: [192.168.1.121/32] -> [192.168.1.121/32, 192.168.1.122/32]

        Node lb2 (desired state, without runtime health or VRRP role): 1 to add, 3 to change, 0 to destroy
        ~ ipvs service TCP 192.168.1.120:80 (web)
        ~   destination 192.168.1.104:80
                weight: 5 -> 10
        ~ ipvs service TCP 192.168.1.121:8080 (api)
        +   destination 10.0.0.13:8080 (weight 3)
        ~ vrrp VI_1
              priority: 80 -> 90
              virtualAddresses: [192.168.1.120/32, 192.168.1.122/32] -> [192.168.1.120/32]
        ~ vrrp VI_2
              virtualAddresses: [192.168.1.121/32] -> [192.168.1.121/32, 192.168.1.122/32]
        """" + "\n",
            TopologyDiffRenderer.RenderText(diff));
        Assert.Equal(DiffExitCode.Diff, DiffExitCode.Of(diff));
        Assert.Equal((1, 3, 0), (diff.Added, diff.Changed, diff.Removed));
        Assert.Equal([new VipMove("192.168.1.122/32", "VI_1", "VI_2")], diff.VipMoves);
    }

    [Fact]
    public void RenderText_WeightOnly_GoldenWithWarningOfNewRevision()
    {
        var diff = DiffOf(Samples.Seed, Edit(Samples.Seed, Weight));
        Assert.Equal(
            """"
        Topology diff 1111111aaaaa -> 2222222bbbbb
        2222222bbbbb is valid (1 warning).
        topology/lb.yaml:19:19: warning: vrrpInstances[0].trackChecks[0]: weight -15 of check 'monitor_nginx' can never change which node is MASTER of 'VI_1' (priorities lb1 100, lb2 80: 100-15=85 is still above 80); a weight of -21 or lower would, or 0 puts the instance into FAULT

        lb1: 0 to add, 1 to change, 0 to destroy
        lb2: 0 to add, 1 to change, 0 to destroy

        Topology: 0 added, 1 changed, 0 removed
        ~ service web (TCP 192.168.1.120:80)
        ~   real server 192.168.1.104:80
                weight: 5 -> 10

        Node lb1 (desired state, without runtime health or VRRP role): 0 to add, 1 to change, 0 to destroy
        ~ ipvs service TCP 192.168.1.120:80 (web)
        ~   destination 192.168.1.104:80
                weight: 5 -> 10

        Node lb2 (desired state, without runtime health or VRRP role): 0 to add, 1 to change, 0 to destroy
        ~ ipvs service TCP 192.168.1.120:80 (web)
        ~   destination 192.168.1.104:80
                weight: 5 -> 10
        """" + "\n",
            TopologyDiffRenderer.RenderText(diff));
    }

    [Fact]
    public void RenderText_InvalidNewRevision_LocatedErrorsAndExitCode1()
    {
        var diff = DiffOf(Samples.Seed, Samples.Invalid);
        Assert.Equal(
            """"
        Topology diff 1111111aaaaa -> 2222222bbbbb
        2222222bbbbb is invalid: 2 errors. Agents will refuse it and keep their last good topology.
        topology/lb.yaml:8:11: error: services[0].port: 70000 is greater than the maximum 65535
        topology/lb.yaml:13:17: error: services[0].realServers[0].weight: 70000 is greater than the maximum 65535
        """" + "\n",
            TopologyDiffRenderer.RenderText(diff));
        Assert.False(diff.NewIsValid);
        Assert.Equal(DiffExitCode.Error, DiffExitCode.Of(diff));
    }

    [Fact]
    public void Compare_Identical_NoChangesExitCode0()
    {
        var diff = DiffOf(Samples.Seed, Samples.Seed);
        Assert.False(diff.HasChanges);
        Assert.Equal(DiffExitCode.NoDiff, DiffExitCode.Of(diff));
        Assert.EndsWith("No changes.\n", TopologyDiffRenderer.RenderText(diff), StringComparison.Ordinal);
        Assert.EndsWith("No changes.\n", TopologyDiffRenderer.RenderMarkdown(diff), StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_PriorityChange_OnlyThatNodesVrrpChanges()
    {
        var diff = DiffOf(Samples.Seed, Edit(Samples.Seed, Priority));
        var entry = Assert.Single(diff.Entries);
        Assert.Equal(("vrrpInstance", "VI_1"), (entry.Kind, entry.Name));
        Assert.Equal("priorities.lb2: 80 -> 90", Assert.Single(entry.Changes).ToString());
        Assert.False(diff.Nodes.Single(n => n.Node == "lb1").HasChanges);
        Assert.Equal("priority: 80 -> 90", Assert.Single(Assert.Single(diff.Nodes.Single(n => n.Node == "lb2").Changes).Changes).ToString());
    }

    [Fact]
    public void Compare_ConnectionSyncAddedThenChanged_BothNodesDaemonsListed()
    {
        // Real servers of their own: with connection sync a director cannot be one.
        var separate = Edit(Samples.Seed, ("- address: 192.168.1.103", "- address: 192.168.1.201"), ("- address: 192.168.1.104", "- address: 192.168.1.202"));
        var syncing = Edit(separate, ("priorities: {lb1: 100, lb2: 80}", "priorities: {lb1: 100, lb2: 80}\n    connectionSync: {}"));

        var added = DiffOf(separate, syncing);
        var changed = DiffOf(syncing, Edit(syncing, ("connectionSync: {}", "connectionSync: {port: 9000}")));

        Assert.Equal("connectionSync: none -> {}", Assert.Single(Assert.Single(added.Entries).Changes).ToString());
        Assert.Equal("connectionSync.port: none -> 9000", Assert.Single(Assert.Single(changed.Entries).Changes).ToString());
        // Both daemons on both nodes, and the service now on every node of the instance (lb2 is not MASTER).
        Assert.All(added.Nodes, node => Assert.Equal(
            ["added syncDaemon backup: on eno16777736, sync id 51 (VRRP VI_1)", "added syncDaemon master: on eno16777736, sync id 51 (VRRP VI_1)"],
            node.Changes.Where(c => c.Kind == "syncDaemon").Select(c => $"{c.Action.ToString().ToLowerInvariant()} {c.Kind} {c.Name}: {c.Detail}")));
        Assert.All(added.Nodes, node => Assert.Equal("onlyWhileMaster: true -> false", Assert.Single(Assert.Single(node.Changes, c => c.Kind == "ipvsService").Changes).ToString()));
        Assert.All(changed.Nodes, node => Assert.All(node.Changes, c => Assert.Equal(("syncDaemon", "multicastPort: none -> 9000"), (c.Kind, Assert.Single(c.Changes).ToString()))));
    }

    [Fact]
    public void Compare_VmacAddedThenTransmitBase_AndALabel_FieldPaths()
    {
        var withVmac = Edit(Samples.Seed, ("priorities: {lb1: 100, lb2: 80}", "priorities: {lb1: 100, lb2: 80}\n    vmac: {}"));

        var added = DiffOf(Samples.Seed, withVmac);
        var changed = DiffOf(withVmac, Edit(withVmac, ("vmac: {}", "vmac: {transmitBase: true}\n    virtualAddressLabels: {192.168.1.120: \"vrrp.51:web\"}")));

        Assert.Equal(["vmac.name: none -> vrrp.51", "vmac.transmitBase: none -> false"], Assert.Single(added.Entries).Changes.Select(c => c.ToString()));
        Assert.Equal(
            ["virtualAddressLabels.192.168.1.120: none -> vrrp.51:web", "vmac.transmitBase: false -> true"],
            Assert.Single(changed.Entries).Changes.Select(c => c.ToString()));
    }

    [Fact]
    public void Compare_ServiceFieldsAndHealthCheck_FieldPathsInTopologySpelling()
    {
        var diff = DiffOf(Samples.Seed, Edit(Samples.Seed, ("scheduler: wrr", "scheduler: wlc"), ("interval: 6s", "interval: 10s"), ("forwarding: dr", "forwarding: nat")));
        var web = Assert.Single(diff.Entries);
        Assert.Equal(
            ["forwarding: dr -> nat", "healthCheck.interval: 6s -> 10s", "scheduler: wrr -> wlc"],
            web.Changes.Select(c => c.ToString()));
        var ipvs = diff.Nodes[0].Changes.Single();
        Assert.Contains("scheduler: wrr -> wlc", ipvs.Changes.Select(c => c.ToString()));
        Assert.All(ipvs.Children, d => Assert.Equal("forwarding: direct-route -> masquerade", Assert.Single(d.Changes).ToString()));
    }

    [Fact]
    public void Compare_AddAndRemoveService_AndPasswordMasked()
    {
        var without = Edit(Samples.Seed, ("  - name: api\n", "  - name: api2\n"), ("password: \"1111\"", "password: \"s3cr3tPW\""));
        var diff = DiffOf(Samples.Seed, without);
        foreach (var rendered in new[] { TopologyDiffRenderer.RenderText(diff), TopologyDiffRenderer.RenderMarkdown(diff) })
        {
            Assert.Contains("+ service api2 (TCP 192.168.1.121:8080)", rendered, StringComparison.Ordinal);
            Assert.Contains("- service api (TCP 192.168.1.121:8080, 2 real server(s))", rendered, StringComparison.Ordinal);
            Assert.Contains("authentication.password: *** -> *** (changed)", rendered, StringComparison.Ordinal);
            Assert.DoesNotContain("password: \"1111", rendered, StringComparison.Ordinal);
            Assert.DoesNotContain("s3cr3tPW", rendered, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("s3cr3tPW", TopologyDiffRenderer.RenderJson(diff), StringComparison.Ordinal);
    }

    [Fact]
    public void RenderMarkdown_ThousandsOfWarnings_TwentyListedThenTheChange()
    {
        // Every service warns (its address is no VRRP instance's): 1,501 warnings are about 200,000 characters.
        var diff = DiffOf(Many(1500), Many(1501));

        var markdown = TopologyDiffRenderer.RenderMarkdown(diff);

        Assert.Equal(1501, diff.NewDiagnostics.Count(d => !d.IsError));
        Assert.DoesNotContain("Truncated", markdown, StringComparison.Ordinal);
        Assert.Equal(TopologyDiffRenderer.MaxWarningLines, markdown.Split('\n').Count(l => l.Contains(": warning: ", StringComparison.Ordinal)));
        Assert.Contains("... and 1481 more warnings ('reconciler validate' lists them all)", markdown, StringComparison.Ordinal);
        Assert.Contains("+ service svc-1500", markdown, StringComparison.Ordinal);
        Assert.Contains("+ ipvs service TCP 10.1.6.1:80 (svc-1500)", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderJson_ParsesWithSummaryAndLocatedDiagnostics()
    {
        using var valid = JsonDocument.Parse(TopologyDiffRenderer.RenderJson(DiffOf(Samples.Seed, Edit(Samples.Seed, Weight))));
        Assert.Equal(2, valid.RootElement.GetProperty("exitCode").GetInt32());
        Assert.Equal(1, valid.RootElement.GetProperty("summary").GetProperty("changed").GetInt32());
        var change = valid.RootElement.GetProperty("entries")[0].GetProperty("children")[0].GetProperty("changes")[0];
        Assert.Equal(("weight", "5", "10"), (change.GetProperty("field").GetString(), change.GetProperty("old").GetString(), change.GetProperty("new").GetString()));

        using var invalid = JsonDocument.Parse(TopologyDiffRenderer.RenderJson(DiffOf(Samples.Seed, Samples.Invalid)));
        Assert.Equal(1, invalid.RootElement.GetProperty("exitCode").GetInt32());
        var error = invalid.RootElement.GetProperty("diagnostics")[0];
        Assert.Equal(("topology/lb.yaml", 8, 11), (error.GetProperty("file").GetString(), error.GetProperty("line").GetInt32(), error.GetProperty("column").GetInt32()));
    }

    [Fact]
    public void CompareRevisions_RealRepository_TwoCommits()
    {
        using var temp = new TempDirectory();
        using var repo = new TestRepository(temp.Sub("r.git"));
        var first = repo.Commit("Seed", "topology/lb.yaml", Samples.Seed);
        var second = repo.Commit("Weight", "topology/lb.yaml", Edit(Samples.Seed, Weight));
        var diff = TopologyDiffer.CompareRevisions(repo.Path, first.Sha, "main", "topology");
        Assert.Equal((first.Sha[..12], second.Sha[..12]), (diff.OldRevision, diff.NewRevision));
        Assert.Equal(DiffExitCode.Diff, DiffExitCode.Of(diff));

        // A first commit that adds the topology: the old side has none and compares as empty.
        var fromNothing = TopologyDiffer.CompareRevisions(repo.Path, first.Sha, first.Sha, "other");
        Assert.Equal(DiffExitCode.Error, DiffExitCode.Of(fromNothing));
        Assert.Throws<Reconciler.GitSource.Source.GitSourceException>(() => TopologyDiffer.CompareRevisions(repo.Path, "no-such-rev", "main", "topology"));
    }
}
