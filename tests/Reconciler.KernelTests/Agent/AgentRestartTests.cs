using System.Globalization;
using Reconciler.KernelTests.Vrrp;

namespace Reconciler.KernelTests.Agent;

/// <summary>
/// An agent killed with SIGKILL while MASTER and started again while another router is MASTER of its instance: the VIP
/// the dead process left on the interface must not stay next to the real master's. Its own agent (<see cref="AgentLab"/>:
/// killed and restarted here, so not shared with the other agent tests); the other router is keepalived 2.2.7 at
/// priority 200 on the far end of the director's link.
/// </summary>
[Collection("vrrp-timing")]
public sealed class AgentRestartTests(AgentLab lab, ITestOutputHelper output) : IClassFixture<AgentLab>
{
    [Fact]
    public void KilledWhileMaster_RestartedWhileAnotherIsMaster_TakesTheStaleVipAwayAsItComesUpBackup()
    {
        Assert.True(lab.ReportsVrrpState("MASTER"), "the agent starts as VI_1's only router: MASTER");
        lab.KillAgent();
        Assert.True(lab.HasVip(), "a SIGKILLed MASTER leaves its VIP behind");

        // Another router takes the instance over meanwhile (no adverts from the dead agent): keepalived, priority 200.
        var settings = new VrrpSettings(2, 1.0, Vip: AgentLab.Vip + "/24", Password: "1111");
        using var other = new KeepalivedNode(lab.Segment, 200, settings);
        other.WaitState("MASTER", VrrpLan.StartTimeout);

        using var addresses = new AddressMonitor(lab.Node);
        var restarted = DateTimeOffset.UtcNow;
        lab.StartAgentAgain();
        var backup = AgentLab.WaitUntil(() => lab.ReportsVrrpState("BACKUP"), "the restarted agent reports VI_1 BACKUP", AgentLab.AgentStartTimeout);
        // The router takes the VIP away as it enters BACKUP, before it reports the state: gone by now, not one master
        // down interval later.
        bool vipWhenBackup = lab.HasVip();
        var events = addresses.Events(AgentLab.Vip);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"restarted agent: BACKUP reported {backup.TotalSeconds:0.0} s after its start (process start included, emulated); VIP events on its interface: {string.Join(", ", events.Select(added => added ? "added" : "deleted"))}"));
        Assert.False(vipWhenBackup, "the restarted agent took the stale VIP away as it came up BACKUP");
        Assert.Equal([false], events);
        Assert.True(VrrpLan.HasAddress(lab.Segment, AgentLab.Vip), "the real master holds the VIP");
        Assert.False(other.Entered("BACKUP", restarted), "the real master keeps its role");
        // A BACKUP director holds none of the instance's services: its next reconcile takes them away.
        AgentLab.WaitUntil(() => lab.ServiceTable().Length == 0, "the BACKUP's services removed", AgentLab.AgentStartTimeout);
        Assert.False(lab.HasVip());
    }
}
