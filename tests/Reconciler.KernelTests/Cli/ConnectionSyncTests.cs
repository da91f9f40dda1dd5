using Reconciler.KernelTests.Infrastructure;

namespace Reconciler.KernelTests.Cli;

/// <summary>
/// The kernel's connection sync daemons as objects of the node's plan, through the real executable: <c>apply</c>
/// starts the master and the backup daemon the instance asks for, <c>plan</c> then has nothing to do (the kernel's
/// reported defaults match), a changed port restarts both, a daemon stopped by hand is started again as drift, and
/// removing the block stops what reconciler started. ipvsadm, not our client, says what runs.
/// </summary>
public sealed class ConnectionSyncTests : IDisposable
{
    private const string Topology = """
        nodes:
          - {name: lb1, addresses: [10.0.0.1], interfaces: [d0]}
        vrrpInstances:
          - name: VI_1
            interface: d0
            virtualRouterId: 51
            priorities: {lb1: 100}
            virtualAddresses: [10.0.0.100/24]
            SYNC
        """;

    private readonly LabNamespace _space = LabNamespace.Create();
    private readonly ReconcilerBinary _reconciler;
    private readonly string _topology;

    public ConnectionSyncTests()
    {
        _reconciler = new ReconcilerBinary(_space);
        _topology = Path.Combine(_reconciler.StateDirectory, "topology.yaml");
    }

    public void Dispose()
    {
        _reconciler.Dispose();
        _space.Dispose();
    }

    private ProcessResult Run(string verb, string sync, params string[] more)
    {
        File.WriteAllText(_topology, Topology.Replace("SYNC", sync, StringComparison.Ordinal));
        return _reconciler.Run([verb, "-f", _topology, "--node", "lb1", "--state-dir", _reconciler.StateDirectory, "--endpoint", "none", .. more]);
    }

    private string Daemons() => _space.IpvsadmOk("-L", "--daemon");

    [Fact]
    public void Apply_StartsBothDaemons_RestartsOnAChange_RepairsDrift_StopsWhenRemoved()
    {
        Lab.RequireIpvsKernel();

        Run("apply", "connectionSync: {}").Check("apply");
        Assert.Equal(
            "master sync daemon (mcast=d0, syncid=51, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)\n" +
            "backup sync daemon (mcast=d0, syncid=51, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)\n",
            Daemons());
        var idle = Run("plan", "connectionSync: {}", "--detailed-exitcode");
        Assert.True(idle.ExitCode == 0, $"plan after apply exited {idle.ExitCode}:\n{idle.Output}");

        var change = Run("plan", "connectionSync: {port: 9000, syncId: 7}");
        Assert.Contains("~ connection sync master daemon on d0 (sync id 7, VRRP VI_1)\n      ~ sync id: 51 -> 7\n      ~ port: 8848 -> 9000\n", change.Output, StringComparison.Ordinal);
        Run("apply", "connectionSync: {port: 9000, syncId: 7}").Check("apply port 9000");
        Assert.Equal(
            "master sync daemon (mcast=d0, syncid=7, maxlen=1472, group=224.0.0.81, port=9000, ttl=1)\n" +
            "backup sync daemon (mcast=d0, syncid=7, maxlen=1472, group=224.0.0.81, port=9000, ttl=1)\n",
            Daemons());

        _space.IpvsadmOk("--stop-daemon", "backup");
        var drift = Run("plan", "connectionSync: {port: 9000, syncId: 7}");
        Assert.Contains("+ connection sync backup daemon on d0 (sync id 7, VRRP VI_1) [drift]", drift.Output, StringComparison.Ordinal);
        Run("apply", "connectionSync: {port: 9000, syncId: 7}").Check("apply drift");
        Assert.Contains("backup sync daemon (mcast=d0, syncid=7", Daemons(), StringComparison.Ordinal);

        var stop = Run("apply", "");
        stop.Check("apply without sync");
        Assert.Contains("- connection sync master daemon on d0 (sync id 7): done", stop.Output, StringComparison.Ordinal);
        Assert.Equal("", Daemons());
    }

    [Fact]
    public void Apply_DaemonSomeoneElseStarted_LeftAloneWhenTheTopologyAsksForNone()
    {
        Lab.RequireIpvsKernel();
        _space.IpvsadmOk("--start-daemon", "master", "--mcast-interface", "d0", "--syncid", "3");

        var plan = Run("plan", "", "--detailed-exitcode");

        Assert.True(plan.ExitCode == 0, $"plan exited {plan.ExitCode}:\n{plan.Output}");
        Run("apply", "").Check("apply");
        Assert.Equal("master sync daemon (mcast=d0, syncid=3, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)\n", Daemons());
    }
}
