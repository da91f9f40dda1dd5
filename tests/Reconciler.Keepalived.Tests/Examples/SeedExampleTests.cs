using System.Net;
using Reconciler.Keepalived.Import;
using Reconciler.Topology.Loading;
using Reconciler.Topology.Yaml;

namespace Reconciler.Keepalived.Tests.Examples;

public sealed class SeedExampleTests
{
    internal const string SchemaReference = "../../schemas/topology.schema.json";

    internal static KeepalivedImportResult ImportSeed() => KeepalivedImporter.Import(
    [
        new KeepalivedSource("lb1", RepositoryPaths.Examples("seed", "lb1.keepalived.conf"), [IPAddress.Parse("192.168.1.104")]),
        new KeepalivedSource("lb2", RepositoryPaths.Examples("seed", "lb2.keepalived.conf"), [IPAddress.Parse("192.168.1.103")]),
    ]);

    [Fact]
    public void Import_SeedPair_RendersTheCheckedInTopology()
    {
        var result = ImportSeed();

        Assert.False(result.HasErrors, string.Join('\n', result.Diagnostics));
        var yaml = TopologyYamlWriter.Write(result.Topology!, SchemaReference);
        var path = RepositoryPaths.Examples("seed", "topology.yaml");

        // The checked-in file is only ever read here; after a deliberate change, tools/regenerate-examples.sh rewrites it.
        Assert.Equal(File.ReadAllText(path), yaml);
    }

    [Fact]
    public void Import_SeedPair_WarnsAboutEveryDroppedGlobalSetting()
    {
        var result = ImportSeed();

        var lines = result.Diagnostics.Select(d => d.ToString()).ToList();
        Assert.All(result.Diagnostics, d => Assert.False(d.IsError));
        foreach (var file in new[] { "lb1.keepalived.conf", "lb2.keepalived.conf" })
        {
            foreach (var (line, keyword) in new[] { (4, "notification_email"), (7, "notification_email_from"), (8, "smtp_server"), (9, "smtp_connect_timeout") })
            {
                Assert.Contains(result.Diagnostics, d =>
                    d.Code == "unsupported-keyword" && d.Location!.File.EndsWith(file, StringComparison.Ordinal) &&
                    d.Location.Line == line && d.Message.Contains($"'{keyword}'", StringComparison.Ordinal));
            }
        }

        Assert.Equal(8, result.Diagnostics.Count);
    }

    [Fact]
    public void Load_SeedTopology_EqualsTheImportedObjects()
    {
        var imported = ImportSeed().Topology;

        var loaded = TopologyLoader.LoadPaths([RepositoryPaths.Examples("seed", "topology.yaml")]);

        Assert.True(loaded.IsValid, string.Join('\n', loaded.Diagnostics));
        Assert.Equal(imported, loaded.Topology);
    }

    [Fact]
    public void Load_SeedTopology_WarnsThatTheScriptWeightCannotMoveMaster()
    {
        var loaded = TopologyLoader.LoadPaths([RepositoryPaths.Examples("seed", "topology.yaml")]);

        Assert.Contains(loaded.Warnings, w => w.Message.Contains("monitor_nginx", StringComparison.Ordinal));
    }
}
