using System.Net;
using Reconciler.Topology.Model;
using static Reconciler.Keepalived.Tests.Import.ImportHelper;

namespace Reconciler.Keepalived.Tests.Import;

/// <summary>keepalived's <c>lvs_sync_daemon</c> (and the deprecated <c>lvs_sync_daemon_interface</c>) as the instance's
/// connection sync.</summary>
public sealed class SyncDaemonImportTests
{
    private static string WithGlobal(string line, string instances = MinimalInstance) => $"global_defs {{\n    {line}\n}}\n{instances}";

    private const string TwoInstances = """
        vrrp_instance VI_1 {
            interface eth0
            virtual_router_id 51
        }
        vrrp_instance VI_2 {
            interface eth1
            virtual_router_id 52
        }
        """;

    [Fact]
    public void NamedInstanceOnItsInterface_TheDefaultsEverywhere()
    {
        var topology = TopologyOf(WithGlobal("lvs_sync_daemon eth0 VI_1"));

        Assert.Equal(ConnectionSync.Default, topology.VrrpInstances[0].ConnectionSync);
    }

    [Fact]
    public void EveryOption_Mapped()
    {
        var topology = TopologyOf(WithGlobal("lvs_sync_daemon eth1 inst VI_1 id 7 maxlen 1400 port 9000 ttl 2 group 239.0.0.9"));

        Assert.Equal(new ConnectionSync("eth1", 7, 1400, 9000, 2, IPAddress.Parse("239.0.0.9")), topology.VrrpInstances[0].ConnectionSync);
    }

    [Fact]
    public void IdEqualToTheVirtualRouterId_IsTheDefault()
    {
        var topology = TopologyOf(WithGlobal("lvs_sync_daemon eth0 VI_1 id 51"));

        Assert.Null(topology.VrrpInstances[0].ConnectionSync!.SyncId);
    }

    [Fact]
    public void OldPositionalForm_InterfaceInstanceSyncId()
    {
        var topology = TopologyOf(WithGlobal("lvs_sync_daemon eth0 VI_1 9"));

        Assert.Equal(9, topology.VrrpInstances[0].ConnectionSync!.SyncId);
    }

    [Fact]
    public void NoInstance_FirstInstanceWithKeepalivedsSyncIdZero_SaidWhenThereIsAChoice()
    {
        var result = Run(WithGlobal("lvs_sync_daemon eth0", TwoInstances));

        Assert.Equal(new ConnectionSync(null, 0, null, null, null, null), result.Topology!.VrrpInstances[0].ConnectionSync);
        Assert.Null(result.Topology.VrrpInstances[1].ConnectionSync);
        var note = Single(result, "sync-daemon-instance");
        Assert.Equal(2, note.Location!.Line);
        Assert.Contains("chose the first, VI_1 (sync id 0)", note.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownInstance_LocatedError()
    {
        var result = Run(WithGlobal("lvs_sync_daemon eth0 VI_9"));

        var error = Single(result, "unknown-instance");
        Assert.True(error.IsError);
        Assert.Equal((2, 26), (error.Location!.Line, error.Location.Column));
        Assert.Null(result.Topology?.VrrpInstances[0].ConnectionSync);
    }

    [Theory]
    [InlineData("lvs_sync_daemon eth0 VI_1 id 300", "'lvs_sync_daemon id' must be a whole number from 0 to 255, not '300'")]
    [InlineData("lvs_sync_daemon eth0 VI_1 port", "'lvs_sync_daemon': 'port' needs a value")]
    [InlineData("lvs_sync_daemon", "'lvs_sync_daemon' needs an interface")]
    public void BadValues_LocatedErrors(string line, string message)
    {
        var result = Run(WithGlobal(line));

        Assert.Contains(result.Diagnostics, d => d.IsError && d.Message == message && d.Location!.Line == 2);
    }

    [Fact]
    public void DeprecatedInstanceKeyword_ThatInstancesSync()
    {
        var topology = TopologyOf(TwoInstances.Replace("virtual_router_id 52", "virtual_router_id 52\n    lvs_sync_daemon_interface eth9", StringComparison.Ordinal));

        Assert.Null(topology.VrrpInstances[0].ConnectionSync);
        Assert.Equal(new ConnectionSync("eth9", null, null, null, null, null), topology.VrrpInstances[1].ConnectionSync);
    }
}
