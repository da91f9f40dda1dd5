using Reconciler.Topology.Loading;
using Reconciler.Topology.Model;
using Reconciler.Topology.Yaml;

namespace Reconciler.Topology.Tests.Loading;

/// <summary>The <c>vrrpSyncGroups</c> section: its shape (schema), binding, and the writer's canonical form.</summary>
public sealed class SyncGroupLoadingTests
{
    private static string[] Load(string oldText, string newText) =>
        LoaderHelpers.Load(Samples.SyncPairYaml.Replace(oldText, newText, StringComparison.Ordinal)).Lines();

    [Fact]
    public void LoadDocuments_SyncPair_BindsEveryFieldWithoutFindings()
    {
        var result = LoaderHelpers.Load(Samples.SyncPairYaml);

        Assert.Empty(result.Lines());
        var group = Assert.Single(result.Topology!.SyncGroups);
        Assert.Equal(
            new VrrpSyncGroup(
                "VG_1",
                ["VI_OUT", "VI_IN"],
                [new TrackedCheckReference("upstream", 0)],
                [new TrackedInterface("eth2", 0)],
                new VrrpNotify("/usr/local/bin/vg master", null, null, null, "/usr/local/bin/vg-any", new Uri("http://127.0.0.1:9000/vg")),
                false),
            group);
        Assert.Same(group, result.Topology.SyncGroupOf("VI_IN"));
    }

    [Fact]
    public void Write_SyncPair_GivesTheSameText() =>
        Assert.Equal(Samples.SyncPairYaml, TopologyYamlWriter.Write(LoaderHelpers.Load(Samples.SyncPairYaml).Topology!));

    [Fact]
    public void LoadDocuments_InstancesNotAList_IsALocatedSchemaError() => Assert.Equal(
        ["topology.yaml:27:16: error: vrrpSyncGroups[0].instances: expected a list but found the text 'VI_OUT'"],
        Load("instances: [VI_OUT, VI_IN]", "instances: VI_OUT"));

    [Fact]
    public void LoadDocuments_OneInstance_IsALocatedSchemaError() => Assert.Equal(
        ["topology.yaml:27:16: error: vrrpSyncGroups[0].instances: must have at least 2 items"],
        Load("instances: [VI_OUT, VI_IN]", "instances: [VI_OUT]"));

    [Fact]
    public void LoadDocuments_MisspelledGroupProperties_SuggestTheRightOnes() => Assert.Equal(
        [
            "topology.yaml:28:37: error: vrrpSyncGroups[0].trackChecks[0].wieght: unknown property 'wieght'; did you mean 'weight'?",
            "topology.yaml:34:5: error: vrrpSyncGroups[0].trackingWeight: unknown property 'trackingWeight'; did you mean 'trackingWeights'?",
        ],
        LoaderHelpers.Load(Samples.SyncPairYaml.Replace("{check: upstream, weight: 0}", "{check: upstream, wieght: 0}", StringComparison.Ordinal)
            + "    trackingWeight: true\n").Lines());

    [Fact]
    public void LoadDocuments_TrackingWeightsYes_IsNotABoolean() => Assert.Equal(
        ["topology.yaml:34:22: error: vrrpSyncGroups[0].trackingWeights: expected true or false but found 'yes' (YAML 1.2 reads it as text)"],
        LoaderHelpers.Load(Samples.SyncPairYaml + "    trackingWeights: yes\n").Lines());

    [Fact]
    public void LoadDocuments_GroupWebhookNotHttp_IsABindingError() => Assert.Equal(
        ["topology.yaml:33:16: error: vrrpSyncGroups[0].notify.webhook: 'ftp://x' is not an http:// or https:// URL"],
        Load("\"http://127.0.0.1:9000/vg\"", "\"ftp://x\""));

    [Fact]
    public void LoadDocuments_GroupTrackWeightOutOfRange_IsALocatedSchemaError() => Assert.Equal(
        ["topology.yaml:29:49: error: vrrpSyncGroups[0].trackInterfaces[0].weight: -254 is less than the minimum -253"],
        Load("{interface: eth2}", "{interface: eth2, weight: -254}"));

    [Fact]
    public void LoadDocuments_MisspelledSection_SuggestsVrrpSyncGroups() => Assert.Equal(
        ["topology.yaml:25:1: error: unknown top-level key 'vrrpSyncGroup'; did you mean 'vrrpSyncGroups'?"],
        Load("vrrpSyncGroups:", "vrrpSyncGroup:"));

    [Fact]
    public void LoadDocuments_GroupsInTwoFiles_AreMerged()
    {
        var second = "vrrpSyncGroups:\n  - name: VG_2\n    instances: [VI_A, VI_B]\n";
        var instances = """
            vrrpInstances:
              - name: VI_A
                interface: eth0
                virtualRouterId: 61
                priorities: {lb1: 150, lb2: 100}
                virtualAddresses: [203.0.113.20]
              - name: VI_B
                interface: eth1
                virtualRouterId: 62
                priorities: {lb1: 150, lb2: 100}
                virtualAddresses: [10.0.0.2]

            """;

        var result = LoaderHelpers.Load(new TopologyDocument("a.yaml", Samples.SyncPairYaml), new TopologyDocument("b.yaml", instances + second));

        Assert.Empty(result.Lines());
        Assert.Equal(["VG_1", "VG_2"], result.Topology!.SyncGroups.Select(g => g.Name));
    }
}
