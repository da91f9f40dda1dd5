using System.Net;
using Reconciler.Ipvs;
using Reconciler.KernelTests.Infrastructure;
using Reconciler.Linux.Ipvs;

namespace Reconciler.KernelTests.Linux;

/// <summary>Info, timeouts, sync daemons, and namespaces.</summary>
public sealed class IpvsSettingsTests
{
    [Fact]
    public void GetInfo_ReportsWhatIpvsadmReports()
    {
        using var space = LabNamespace.Create();
        using var client = space.OpenClient();

        var info = client.GetInfo();

        Assert.StartsWith($"IP Virtual Server version {info.VersionText} (size={info.ConnectionTableSize})\n", space.IpvsadmOk("-Ln"), StringComparison.Ordinal);
    }

    [Fact]
    public void Timeouts_SetByUs_IpvsadmShowsThem_AndSetByIpvsadm_WeReadThem()
    {
        using var space = LabNamespace.Create();
        using var client = space.OpenClient();

        client.SetTimeouts(new IpvsTimeouts(901, 121, 301));
        Assert.Equal("Timeout (tcp tcpfin udp): 901 121 301\n", space.IpvsadmOk("-L", "--timeout"));

        space.IpvsadmOk("--set", "700", "0", "200");
        Assert.Equal(new IpvsTimeouts(700, 121, 200), client.GetTimeouts());
    }

    [Fact]
    public void SyncDaemon_StartedByUs_IpvsadmListsIt_AndWeListAndStopIt()
    {
        using var space = LabNamespace.Create();
        using var client = space.OpenClient();

        client.StartSyncDaemon(new IpvsSyncDaemon(IpvsSyncDaemonState.Master, "d0", 5));

        Assert.Equal(
            "master sync daemon (mcast=d0, syncid=5, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)\n",
            space.IpvsadmOk("-L", "--daemon"));
        Assert.Equal(
            [new IpvsSyncDaemon(IpvsSyncDaemonState.Master, "d0", 5, 1472, IPAddress.Parse("224.0.0.81"), 8848, 1)],
            client.GetSyncDaemons());

        client.StopSyncDaemon(IpvsSyncDaemonState.Master);
        Assert.Empty(client.GetSyncDaemons());
        Assert.Equal("", space.IpvsadmOk("-L", "--daemon"));
    }

    [Fact]
    public void Clients_InTwoNamespaces_SeeTwoTables()
    {
        using var first = LabNamespace.Create();
        using var second = LabNamespace.Create();
        using var one = first.OpenClient();
        using var two = second.OpenClient();

        one.AddService(ReferenceTable.Plain(ReferenceTable.Tcp("10.0.0.100", 80), "rr"));
        two.AddService(ReferenceTable.Plain(ReferenceTable.Tcp("10.0.0.200", 80), "wrr"));

        Assert.Equal("-A -t 10.0.0.100:80 -s rr\n", first.Save());
        Assert.Equal("-A -t 10.0.0.200:80 -s wrr\n", second.Save());
        Assert.Equal(ReferenceTable.Tcp("10.0.0.100", 80), Assert.Single(one.GetServices()).Service.Key);
    }

    [Fact]
    public void Open_MissingNamespace_FailsAtOpen()
    {
        Lab.RequireIpvsKernel();

        Assert.ThrowsAny<Exception>(() => IpvsNetlinkClient.Open("/run/netns/does-not-exist"));
    }
}
