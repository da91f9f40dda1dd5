using System.Net;
using Reconciler.Ipvs;
using Reconciler.Planning.Desired;
using Reconciler.Topology.Model;
using TopologyModel = Reconciler.Topology.Model.Topology;

namespace Reconciler.Planning.Tests.Desired;

public sealed class ConnectionSyncDaemonsTests
{
    private static VrrpInstance Instance(string name, int vrid, ConnectionSync? sync, params string[] nodes) =>
        new VrrpInstance(name, "eth0", ValueMap<string>.Create([new("lb2", "ens4")]), vrid, 2, TimeSpan.FromSeconds(1),
            ValueMap<int>.Create(nodes.Select((n, i) => new KeyValuePair<string, int>(n, 100 - i))), true, TimeSpan.Zero, null,
            [new InterfaceAddress(IPAddress.Parse("10.0.0.100"), 24)], [], [], [], null, GratuitousArp.Default)
        { ConnectionSync = sync };

    private static TopologyModel WithInstances(params VrrpInstance[] instances) => TopologyModel.Empty with { VrrpInstances = [.. instances] };

    [Fact]
    public void For_InstanceWithDefaults_MasterAndBackupOnTheNodesInterfaceWithTheVirtualRouterId()
    {
        var topology = WithInstances(Instance("VI_1", 51, ConnectionSync.Default, "lb1", "lb2"));

        var lb2 = ConnectionSyncDaemons.For(topology, "lb2");

        Assert.Equal(
            [new DesiredSyncDaemon(new IpvsSyncDaemon(IpvsSyncDaemonState.Master, "ens4", 51), "VI_1"), new DesiredSyncDaemon(new IpvsSyncDaemon(IpvsSyncDaemonState.Backup, "ens4", 51), "VI_1")],
            lb2);
        Assert.All(ConnectionSyncDaemons.For(topology, "lb1"), d => Assert.Equal("eth0", d.Daemon.MulticastInterface));
    }

    [Fact]
    public void For_EverySettingGiven_PassedToBothDaemons()
    {
        var sync = new ConnectionSync("sync0", 7, 1400, 9000, 2, IPAddress.Parse("239.1.1.1"));
        var topology = WithInstances(Instance("VI_1", 51, sync, "lb1"));

        var daemons = ConnectionSyncDaemons.For(topology, "lb1");

        var expected = new IpvsSyncDaemon(IpvsSyncDaemonState.Master, "sync0", 7, 1400, IPAddress.Parse("239.1.1.1"), 9000, 2);
        Assert.Equal([expected, expected with { State = IpvsSyncDaemonState.Backup }], daemons.Select(d => d.Daemon));
    }

    [Fact]
    public void For_NodeOutsideTheInstance_OrInstanceWithoutSync_None()
    {
        var topology = WithInstances(Instance("VI_1", 51, null, "lb1", "lb2"), Instance("VI_2", 52, ConnectionSync.Default, "lb1"));

        Assert.Empty(ConnectionSyncDaemons.For(topology, "lb2"));
        Assert.Empty(DesiredStateBuilder.Build(topology, "lb2", RuntimeOverlay.None).Sysctls); // no sloppy_tcp either
        Assert.All(ConnectionSyncDaemons.For(topology, "lb1"), d => Assert.Equal("VI_2", d.Instance));
    }

    [Fact]
    public void Build_DesiredStateCarriesTheDaemonsWhateverTheRole()
    {
        var topology = WithInstances(Instance("VI_1", 51, ConnectionSync.Default, "lb1", "lb2"));

        foreach (var role in (VrrpRole[])[VrrpRole.Master, VrrpRole.Backup, VrrpRole.Fault, VrrpRole.Unknown])
        {
            var overlay = new RuntimeOverlay(new Dictionary<string, VrrpRole> { ["VI_1"] = role }, NoHealthOverlay.Instance);
            var desired = DesiredStateBuilder.Build(topology, "lb1", overlay);
            Assert.Equal(2, desired.SyncDaemons.Count);
            Assert.Equal([ConnectionSyncDaemons.SloppyTcp], desired.Sysctls);
        }
    }

    [Theory]
    [InlineData(null, null, null, null, true)] // the kernel's defaults as it reports them
    [InlineData(1472, "224.0.0.81", 8848, 1, true)]
    [InlineData(1400, null, null, null, false)]
    [InlineData(null, "239.1.1.1", null, null, false)]
    [InlineData(null, null, 9000, null, false)]
    [InlineData(null, null, null, 2, false)]
    public void Matches_TheKernelsReportedDefaultsStandForSettingsLeftOut(int? maxLength, string? group, int? port, int? ttl, bool matches)
    {
        var wanted = new IpvsSyncDaemon(IpvsSyncDaemonState.Backup, "eth0", 51, (ushort?)maxLength, group is null ? null : IPAddress.Parse(group), (ushort?)port, (byte?)ttl);
        var running = new IpvsSyncDaemon(IpvsSyncDaemonState.Backup, "eth0", 51, 1472, IPAddress.Parse("224.0.0.81"), 8848, 1);

        Assert.Equal(matches, ConnectionSyncDaemons.Matches(wanted, running));
    }

    [Fact]
    public void Matches_OtherInterfaceOrSyncIdOrState_DoesNot()
    {
        var wanted = new IpvsSyncDaemon(IpvsSyncDaemonState.Master, "eth0", 51);

        Assert.False(ConnectionSyncDaemons.Matches(wanted, wanted with { MulticastInterface = "eth1" }));
        Assert.False(ConnectionSyncDaemons.Matches(wanted, wanted with { SyncId = 52 }));
        Assert.False(ConnectionSyncDaemons.Matches(wanted, wanted with { State = IpvsSyncDaemonState.Backup }));
        Assert.True(ConnectionSyncDaemons.Matches(wanted, wanted)); // a kernel before 4.3 reports no optional setting
    }

    [Fact]
    public void Changes_NameEachDifferingSetting()
    {
        var running = new IpvsSyncDaemon(IpvsSyncDaemonState.Master, "eth0", 51, 1472, IPAddress.Parse("224.0.0.81"), 8848, 1);
        var wanted = new IpvsSyncDaemon(IpvsSyncDaemonState.Master, "eth1", 51, null, null, 9000, null);

        Assert.Equal(["interface: eth0 -> eth1", "port: 8848 -> 9000"], ConnectionSyncDaemons.Changes(running, wanted).Select(c => c.ToString()));
    }
}
