using Reconciler.Topology.Loading;
using Reconciler.Topology.Tests.Loading;
using Reconciler.Topology.Yaml;

namespace Reconciler.Topology.Tests.Examples;

/// <summary>examples/sync-group (copied next to the tests): a NAT pair whose two instances fail over together.</summary>
public sealed class SyncGroupExampleTests
{
    private static readonly string Path = System.IO.Path.Combine(AppContext.BaseDirectory, "examples", "sync-group", "topology.yaml");

    [Fact]
    public void LoadPaths_SyncGroupExample_IsValidWithoutFindings()
    {
        var result = TopologyLoader.LoadPaths([Path]);

        Assert.Empty(result.Lines());
        var group = Assert.Single(result.Topology!.SyncGroups);
        Assert.Equal(["VI_OUT", "VI_IN"], group.Instances);
        Assert.Equal(result.Topology.VrrpInstances.Select(v => v.Name), group.Instances);
    }

    [Fact]
    public void Write_SyncGroupExample_GivesTheSameText()
    {
        var text = File.ReadAllText(Path);

        Assert.Equal(text, TopologyYamlWriter.Write(LoaderHelpers.Load(text).Topology!));
    }
}
