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
    public void Import_SeedPair_CarriesEveryGlobalSettingOver()
    {
        var result = ImportSeed();

        // The mail settings (notification_email, notification_email_from, smtp_server, smtp_connect_timeout) become
        // the mail block; without smtp_alert keepalived mails nothing, and neither does the topology.
        Assert.Empty(result.Diagnostics);
        Assert.Equal(
            new Topology.Model.MailAlerts("127.0.0.1", 25, "XX@126.com", ["xxx@126.com"], null, TimeSpan.FromSeconds(30), Vrrp: false, Checkers: false),
            result.Topology!.Mail);
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
