using System.Net;
using Reconciler.Keepalived.Import;
using Reconciler.Topology.Loading;
using Reconciler.Topology.Model;
using Reconciler.Topology.Yaml;

namespace Reconciler.Keepalived.Tests.Examples;

public sealed class LargeExampleTests
{
    /// <summary>As <c>reconciler import keepalived lb-a.keepalived.conf lb-b.keepalived.conf --address lb-a=203.0.113.2
    /// --address lb-a=2001:db8:10::2 --address lb-b=203.0.113.3 --address lb-b=2001:db8:10::3</c>: the nodes are named
    /// by their router_id.</summary>
    internal static KeepalivedImportResult ImportLarge() => KeepalivedImporter.Import(
    [
        new KeepalivedSource(null, RepositoryPaths.Examples("large", "lb-a.keepalived.conf"), [IPAddress.Parse("203.0.113.2"), IPAddress.Parse("2001:db8:10::2")]),
        new KeepalivedSource(null, RepositoryPaths.Examples("large", "lb-b.keepalived.conf"), [IPAddress.Parse("203.0.113.3"), IPAddress.Parse("2001:db8:10::3")]),
    ]);

    [Fact]
    public void Import_LargePair_RendersTheCheckedInTopology()
    {
        var result = ImportLarge();

        Assert.False(result.HasErrors, string.Join('\n', result.Diagnostics));
        Assert.Equal(["lb-a", "lb-b"], result.Nodes.Select(n => n.Name));
        Assert.All(result.Nodes, n => Assert.Equal(NodeNameOrigin.RouterId, n.Origin));
        var yaml = TopologyYamlWriter.Write(result.Topology!, SeedExampleTests.SchemaReference);
        var path = RepositoryPaths.Examples("large", "topology.yaml");

        // The checked-in file is only ever read here; after a deliberate change, tools/regenerate-examples.sh rewrites it.
        Assert.Equal(File.ReadAllText(path), yaml);
    }

    [Fact]
    public void Import_LargePair_WarnsAboutExactlyWhatItDrops()
    {
        var result = ImportLarge();

        var warnings = result.Diagnostics.Select(d => $"{Path.GetFileName(d.Location!.File)}:{d.Location.Line}: {d.Code}").ToList();
        string[] perNode =
        [
            "6: unsupported-keyword",  // enable_script_security
            "7: unsupported-keyword",  // script_user
            "57: sync-group-ignored",  // VI_WEB's chk_uplink: a weighted script on a member of the EDGE sync group
        ];
        Assert.Equal(
            [.. perNode.Select(w => "lb-a.keepalived.conf:" + w), .. perNode.Select(w => "lb-b.keepalived.conf:" + w)],
            warnings);
    }

    [Fact]
    public void Import_LargePair_VI_WEBAndVI_GWFailOverTogether() =>
        Assert.Equal(new VrrpSyncGroup("EDGE", ["VI_WEB", "VI_GW"], [], [], null, false), Assert.Single(ImportLarge().Topology!.SyncGroups));

    [Fact]
    public void Load_LargeTopology_EqualsTheImportedObjects()
    {
        var imported = ImportLarge().Topology!;

        var loaded = TopologyLoader.LoadPaths([RepositoryPaths.Examples("large", "topology.yaml")]);

        Assert.True(loaded.IsValid, string.Join('\n', loaded.Diagnostics));

        // The YAML has no vrrpSyncGroups yet (the section is being added to Reconciler.Topology): until it has, the
        // loaded topology cannot hold the EDGE group, and everything else must be equal.
        Assert.Equal(imported, loaded.Topology);
    }
}
