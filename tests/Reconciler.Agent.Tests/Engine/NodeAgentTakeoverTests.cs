using System.Net;
using Reconciler.Agent.Tests.Fakes;
using Reconciler.Vrrp;

namespace Reconciler.Agent.Tests.Engine;

/// <summary>
/// A takeover from a director whose adverts stopped withdraws that director's real servers before the takeover's
/// first plan (the VRRP runtime is a fake raising the router's event; the checks run on fake time, an hour apart, so
/// nothing but the withdrawal moves them; their return through a passing check is in HealthMonitorWithdrawalTests).
/// </summary>
public sealed class NodeAgentTakeoverTests
{
    private static readonly IPAddress Lb2 = IPAddress.Parse("10.0.0.2");

    private static async Task<AgentHarness> BackupOfLb2Async()
    {
        var harness = AgentHarness.Start(Polls.NewValid("lb2 is a real server too", Topologies.VrrpPeerIsRealServer));
        harness.Vrrp.InitialState = VrrpState.Backup;
        harness.Vrrp.InitialMaster = Lb2;
        await harness.PollAndReconcileAsync();
        Assert.Empty(harness.Ipvs.GetServices());
        return harness;
    }

    [Fact]
    public async Task SilentMaster_ItsRealServerIsOutOfTheTakeoversFirstPlan_WithTheReason()
    {
        await using var harness = await BackupOfLb2Async();

        harness.Vrrp.Runtime!.TakeOverFromSilentMaster(Lb2);
        var view = harness.Agent.Reconcile(["vrrp transition"]);

        Assert.Equal("TCP 10.0.0.100:80 wrr: 10.0.1.1:80 w1", harness.KernelSnapshot());
        Assert.Equal(2, view.Operations); // the service and its one live real server: 10.0.0.2 was never added
        Assert.Contains(harness.Logs.Lines, l => l.Contains(
            "VRRP VI_1: took over from director lb2 (10.0.0.2), whose adverts stopped; its real servers withdrawn until their checks pass: web/10.0.0.2:80",
            StringComparison.Ordinal));
        var server = harness.Agent.GetStatus().Services.Single().RealServers.Single(r => r.Endpoint == "10.0.0.2:80");
        Assert.Equal(("DOWN", "director lb2 (10.0.0.2) stopped advertising VRRP VI_1: withdrawn at takeover until its check passes", (int?)null), (server.Health, server.Detail, server.KernelWeight));
    }

    [Fact]
    public async Task SilentMasterNoNodeHas_NothingWithdrawn_AndSaid()
    {
        await using var harness = await BackupOfLb2Async();

        harness.Vrrp.Runtime!.TakeOverFromSilentMaster(IPAddress.Parse("10.0.0.9"));
        harness.Agent.Reconcile(["vrrp transition"]);

        Assert.Equal("TCP 10.0.0.100:80 wrr: 10.0.0.2:80 w5, 10.0.1.1:80 w1", harness.KernelSnapshot());
        Assert.Contains(harness.Logs.Lines, l => l.Contains("took over from 10.0.0.9, whose adverts stopped; no node of the topology has that address", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TakeoverOnAGoodbye_NothingWithdrawn()
    {
        await using var harness = await BackupOfLb2Async();

        harness.Vrrp.Runtime!.Transition(VrrpState.Master, master: null);
        harness.Agent.Reconcile(["vrrp transition"]);

        Assert.Equal("TCP 10.0.0.100:80 wrr: 10.0.0.2:80 w5, 10.0.1.1:80 w1", harness.KernelSnapshot());
    }
}
