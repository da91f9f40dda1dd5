using Reconciler.GitSource.Diff;
using static Reconciler.GitSource.Tests.Diff.DiffFixtures;

namespace Reconciler.GitSource.Tests.Diff;

/// <summary>A sync group added, changed or removed shows in the topology's changes and in each node's VRRP
/// participation (which group an instance fails over with).</summary>
public sealed class SyncGroupDiffTests
{
    private const string Pair = Samples.Nodes + """
        vrrpInstances:
          - name: VI_OUT
            interface: eno16777736
            virtualRouterId: 51
            priorities: {lb1: 100, lb2: 80}
            virtualAddresses: [192.168.1.120]
          - name: VI_IN
            interface: eno16777736
            virtualRouterId: 52
            priorities: {lb1: 100, lb2: 80}
            virtualAddresses: [10.0.0.1]
          - name: VI_MGMT
            interface: eno16777736
            virtualRouterId: 53
            priorities: {lb1: 100, lb2: 80}
            virtualAddresses: [10.9.0.1]

        """;

    private const string Grouped = Pair + """
        vrrpSyncGroups:
          - name: VG_1
            instances: [VI_OUT, VI_IN]

        """;

    [Fact]
    public void RenderText_SyncGroupAdded_Golden()
    {
        var diff = DiffOf(Pair, Grouped);

        Assert.Equal(
            """"
            Topology diff 1111111aaaaa -> 2222222bbbbb
            2222222bbbbb is valid.

            lb1: 0 to add, 2 to change, 0 to destroy
            lb2: 0 to add, 2 to change, 0 to destroy

            Topology: 1 added, 0 changed, 0 removed
            + vrrp sync group VG_1 (VI_OUT, VI_IN)

            Node lb1 (desired state, without runtime health or VRRP role): 0 to add, 2 to change, 0 to destroy
            ~ vrrp VI_IN
                  syncGroup: none -> VG_1
            ~ vrrp VI_OUT
                  syncGroup: none -> VG_1

            Node lb2 (desired state, without runtime health or VRRP role): 0 to add, 2 to change, 0 to destroy
            ~ vrrp VI_IN
                  syncGroup: none -> VG_1
            ~ vrrp VI_OUT
                  syncGroup: none -> VG_1
            """" + "\n",
            TopologyDiffRenderer.RenderText(diff));
        Assert.Equal(DiffExitCode.Diff, DiffExitCode.Of(diff));
    }

    [Fact]
    public void Compare_SyncGroupChanged_ListsMembersTrackingAndNotify()
    {
        var changed = Edit(
            Grouped,
            ("instances: [VI_OUT, VI_IN]\n", "instances: [VI_OUT, VI_IN, VI_MGMT]\n    trackChecks: [{check: monitor_nginx}]\n    notify: {any: /usr/local/bin/vg}\n    trackingWeights: true\n"));

        var diff = DiffOf(Grouped, changed);

        var entry = Assert.Single(diff.Entries);
        Assert.Equal(("vrrpSyncGroup", "VG_1", DiffAction.Changed, null), (entry.Kind, entry.Name, entry.Action, entry.Detail));
        Assert.Equal(
            [
                "instances: [VI_OUT, VI_IN] -> [VI_OUT, VI_IN, VI_MGMT]",
                "notify.any: none -> /usr/local/bin/vg",
                "trackChecks: [] -> 1 item(s)",
                "trackChecks[0].check: none -> monitor_nginx",
                "trackingWeights: false -> true",
            ],
            entry.Changes.Select(c => c.ToString()));
        Assert.All(diff.Nodes, node => Assert.Equal("vrrp VI_MGMT: syncGroup: none -> VG_1", Describe(Assert.Single(node.Changes))));
    }

    [Fact]
    public void Compare_SyncGroupRemoved_NamesItsMembers()
    {
        var diff = DiffOf(Grouped, Pair);

        var entry = Assert.Single(diff.Entries);
        Assert.Equal(("vrrpSyncGroup", "VG_1", DiffAction.Removed, "VI_OUT, VI_IN"), (entry.Kind, entry.Name, entry.Action, entry.Detail));
        Assert.Equal(
            ["vrrp VI_IN: syncGroup: VG_1 -> none", "vrrp VI_OUT: syncGroup: VG_1 -> none"],
            diff.Nodes.Single(n => n.Node == "lb1").Changes.Select(Describe));
    }

    private static string Describe(DiffEntry entry) => $"{entry.Kind} {entry.Name}: {string.Join("; ", entry.Changes)}";
}
