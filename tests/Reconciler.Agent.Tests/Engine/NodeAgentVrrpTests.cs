using System.Net;
using Reconciler.Agent.Status;
using Reconciler.Agent.Tests.Fakes;
using Reconciler.Agent.Tests.Metrics;
using Reconciler.Ipvs;
using Reconciler.Vrrp;

namespace Reconciler.Agent.Tests.Engine;

/// <summary>Services bound to a VRRP instance follow the instance's role; the VRRP runtime is a fake whose state the
/// test sets (the state machine itself is tested in Reconciler.Vrrp.Tests).</summary>
public sealed class NodeAgentVrrpTests
{
    private static readonly ServiceKey Web = ServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("10.0.0.100"), 80);
    private static readonly IPAddress Peer = IPAddress.Parse("10.0.0.2");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static AgentHarness Start(VrrpState state, IPAddress? master, string topology = Topologies.Vrrp)
    {
        var harness = AgentHarness.Start(Polls.NewValid("Web on VI_1", topology));
        harness.Vrrp.InitialState = state;
        harness.Vrrp.InitialMaster = master;
        return harness;
    }

    [Fact]
    public async Task Reconcile_RoleUnknownOnAnEmptyKernel_ServiceNotCreated()
    {
        await using var harness = Start(VrrpState.Backup, master: null);

        var view = await harness.PollAndReconcileAsync();

        Assert.Equal(0, view.Operations);
        Assert.Empty(harness.Ipvs.GetServices());
        Assert.Empty(harness.Addresses.Addresses);
        var vrrp = Assert.Single(harness.Agent.GetStatus().Vrrp);
        Assert.Equal(("VI_1", "BACKUP", "Unknown"), (vrrp.Instance, vrrp.State, vrrp.Role));
    }

    [Fact]
    public async Task Reconcile_Master_ServiceCreatedAndTheVipLeftToItsRouter()
    {
        await using var harness = Start(VrrpState.Master, master: null);

        await harness.PollAndReconcileAsync();

        // The VRRP router is the one writer of the instance's VIP (it adds it as it becomes MASTER): the plan has no
        // step for it, so this fake router's node has none.
        Assert.NotNull(harness.Ipvs.GetService(Web));
        Assert.Equal("TCP 10.0.0.100:80 wrr: 10.0.1.1:8080 w1", harness.KernelSnapshot());
        Assert.DoesNotContain(harness.Logs.Lines, l => l.Contains("address 10.0.0.100", StringComparison.Ordinal));
        Assert.True(harness.Vrrp.Runtime!.Started);
    }

    [Fact]
    public async Task Reconcile_MasterThenRoleUnknown_ServiceHeldAsItIs()
    {
        await using var harness = Start(VrrpState.Master, master: null);
        await harness.PollAndReconcileAsync();
        var services = harness.IpvsSnapshot();

        harness.Vrrp.Runtime!.Transition(VrrpState.Backup, master: null);
        harness.Agent.Reconcile(["vrrp transition"]);

        Assert.Contains("10.0.1.1:8080", services, StringComparison.Ordinal);
        Assert.Equal(services, harness.IpvsSnapshot());
    }

    [Fact]
    public async Task Reconcile_RoleUnknownWithTheServiceInTheKernelFromBefore_HeldAcrossARestart()
    {
        await using var harness = Start(VrrpState.Master, master: null);
        await harness.PollAndReconcileAsync();
        var writes = harness.Ipvs.WriteRequests;
        var services = harness.IpvsSnapshot();

        harness.Vrrp.InitialState = VrrpState.Initialize;
        await harness.RestartAsync(Polls.NewValid("Web on VI_1", Topologies.Vrrp));
        await harness.PollAndReconcileAsync();

        Assert.Equal(services, harness.IpvsSnapshot());
        Assert.Equal(writes, harness.Ipvs.WriteRequests);
    }

    [Fact]
    public async Task Reconcile_MasterThenBackupWithAKnownMaster_ServiceDeletedAndVipRemoved()
    {
        await using var harness = Start(VrrpState.Master, master: null);
        await harness.PollAndReconcileAsync();

        harness.Vrrp.Runtime!.Transition(VrrpState.Backup, Peer);
        var view = harness.Agent.Reconcile(["vrrp transition"]);

        Assert.Equal("applied", view.Result);
        Assert.Empty(harness.Ipvs.GetServices());
        Assert.Empty(harness.Addresses.Addresses);
        var vrrp = Assert.Single(harness.Agent.GetStatus().Vrrp);
        Assert.Equal(("BACKUP", "Backup", "10.0.0.2"), (vrrp.State, vrrp.Role, vrrp.Master));
    }

    [Fact]
    public async Task Reconcile_BackupThenMaster_ServiceCreated()
    {
        await using var harness = Start(VrrpState.Backup, Peer);
        await harness.PollAndReconcileAsync();
        Assert.Empty(harness.Ipvs.GetServices());

        harness.Vrrp.Runtime!.Transition(VrrpState.Master, master: null);
        harness.Agent.Reconcile(["vrrp transition"]);

        Assert.NotNull(harness.Ipvs.GetService(Web));
    }

    [Fact]
    public async Task Reconcile_BecomesMasterWhilePlanning_PlansAgainAndAppliesForMaster()
    {
        await using var harness = Start(VrrpState.Backup, Peer);
        await harness.PollAndReconcileAsync();
        var runtime = harness.Vrrp.Runtime!;
        runtime.AfterStatusRead = () =>
        {
            runtime.AfterStatusRead = null;
            runtime.Transition(VrrpState.Master, master: null); // right after the agent read "BACKUP"
        };

        var view = harness.Agent.Reconcile(["drift check"]);

        Assert.Equal("applied", view.Result);
        Assert.NotNull(harness.Ipvs.GetService(Web));
        Assert.Contains(harness.Logs.Lines, l => l.Contains("VRRP role changed while planning (VI_1 Master now): planning again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reconcile_LosesMastershipWhilePlanning_VipAndServiceNotKept()
    {
        await using var harness = Start(VrrpState.Master, master: null);
        await harness.PollAndReconcileAsync();
        Assert.NotNull(harness.Ipvs.GetService(Web));
        harness.Ipvs.DeleteService(Web); // drift to repair, for a MASTER only
        var runtime = harness.Vrrp.Runtime!;
        runtime.AfterStatusRead = () =>
        {
            runtime.AfterStatusRead = null;
            runtime.Transition(VrrpState.Backup, Peer);
        };

        harness.Agent.Reconcile(["drift check"]);

        Assert.Null(harness.Ipvs.GetService(Web));
        Assert.Empty(harness.Addresses.Addresses);
    }

    [Fact]
    public async Task Transitioned_AsksForAReconcile()
    {
        await using var harness = Start(VrrpState.Backup, Peer);
        await harness.Agent.PollAsync(Token);
        await harness.Agent.Trigger.WaitAsync(Token);

        var next = harness.Agent.Trigger.WaitAsync(Token);
        harness.Vrrp.Runtime!.Transition(VrrpState.Master, null);
        harness.Time.Advance(harness.Settings.MinReconcileInterval);

        Assert.Equal(["vrrp transition"], await next);
    }

    [Fact]
    public async Task PollAsync_CommitThatLeavesThisNodesVrrpAlone_RuntimeKeptRunning()
    {
        await using var harness = Start(VrrpState.Master, master: null);
        harness.Feed.Enqueue(Polls.NewValid("Another real server", Topologies.Vrrp.Replace(
            "      - address: 10.0.1.1\n        port: 8080",
            "      - address: 10.0.1.1\n        port: 8080\n      - address: 10.0.1.2\n        port: 8080",
            StringComparison.Ordinal)));
        await harness.PollAndReconcileAsync();

        var view = await harness.PollAndReconcileAsync();

        Assert.Equal(1, view.Operations);
        var runtime = Assert.Single(harness.Vrrp.Created);
        Assert.False(runtime.Disposed);
    }

    [Fact]
    public async Task PollAsync_CommitThatChangesThisNodesPriority_RuntimeRebuilt()
    {
        await using var harness = Start(VrrpState.Master, master: null);
        harness.Feed.Enqueue(Polls.NewValid("lb1 priority 150", Topologies.Vrrp.Replace("lb1: 100", "lb1: 150", StringComparison.Ordinal)));
        await harness.PollAndReconcileAsync();

        await harness.PollAndReconcileAsync();

        Assert.Equal(2, harness.Vrrp.Created.Count);
        Assert.True(harness.Vrrp.Created[0].Disposed);
        Assert.True(harness.Vrrp.Created[1].Started);
        Assert.Contains(harness.Logs.Lines, l => l.Contains("VRRP configuration of this node changed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PollAsync_CommitThatGroupsThisNodesInstances_RuntimeRebuilt_AndTheGroupShows()
    {
        await using var harness = Start(VrrpState.Master, master: null, Topologies.VrrpTwoInstances);
        await harness.PollAndReconcileAsync();
        harness.Feed.Enqueue(Polls.NewValid("group VI_1 and VI_2", Topologies.VrrpSyncGroup));

        await harness.PollAndReconcileAsync();

        Assert.Equal(2, harness.Vrrp.Created.Count);
        Assert.True(harness.Vrrp.Created[0].Disposed);
        Assert.All(harness.Agent.GetStatus().Vrrp, v => Assert.Equal(("VG_1", "MASTER"), (v.SyncGroup, v.SyncGroupState)));
        Assert.Contains(", sync group VG_1 MASTER", StatusRenderer.Render(harness.Agent.GetStatus()), StringComparison.Ordinal);
        var metrics = PrometheusText.Parse(harness.Agent.WriteMetrics());
        Assert.Equal(1, metrics.Value("reconciler_vrrp_sync_group_state", ("vrrp_sync_group", "VG_1"), ("state", "MASTER")));
        Assert.Equal(0, metrics.Value("reconciler_vrrp_sync_group_state", ("vrrp_sync_group", "VG_1"), ("state", "FAULT")));
    }

    [Fact]
    public async Task StopAsync_VrrpRuntimeReleased()
    {
        await using var harness = Start(VrrpState.Master, master: null);
        await harness.PollAndReconcileAsync();

        await harness.Agent.StopAsync(Token);

        Assert.True(harness.Vrrp.Runtime!.Disposed);
        Assert.NotNull(harness.Ipvs.GetService(Web));
    }

    [Fact]
    public async Task ReleaseVrrp_RuntimeReleasedAtOnceAndKernelLeftToTheOrderlyStop()
    {
        await using var harness = Start(VrrpState.Master, master: null);
        await harness.PollAndReconcileAsync();
        var kernel = harness.KernelSnapshot();

        harness.Agent.ReleaseVrrp();

        Assert.True(harness.Vrrp.Runtime!.Released);
        Assert.False(harness.Vrrp.Runtime.Disposed);
        Assert.Equal(kernel, harness.KernelSnapshot());
    }

    [Fact]
    public async Task ReleaseVrrp_NoRuntime_NothingToDo()
    {
        await using var harness = AgentHarness.Start(Polls.NewValid("Add web and dns", Topologies.Plain));
        await harness.PollAndReconcileAsync();

        harness.Agent.ReleaseVrrp();

        Assert.Empty(harness.Vrrp.Created);
    }

    [Fact]
    public async Task WriteMetrics_WithVrrp_StatePerInstanceAndParsesAsExposition()
    {
        await using var harness = Start(VrrpState.Master, master: null);
        await harness.PollAndReconcileAsync();

        var metrics = PrometheusText.Parse(harness.Agent.WriteMetrics());

        Assert.Equal(1, metrics.Value("reconciler_vrrp_state", ("vrrp_instance", "VI_1"), ("state", "MASTER")));
        Assert.Equal(0, metrics.Value("reconciler_vrrp_state", ("vrrp_instance", "VI_1"), ("state", "BACKUP")));
        Assert.Equal(12, metrics.Value("reconciler_vrrp_adverts_sent_total", ("vrrp_instance", "VI_1")));
        Assert.Equal(2, metrics.Value("reconciler_vrrp_adverts_dropped_total", ("vrrp_instance", "VI_1"), ("reason", "TtlInvalid")));
        Assert.Equal(2, metrics.Value("reconciler_operations_applied_total", ("action", "create")));
    }

    [Fact]
    public async Task GetStatus_WithVrrp_RendersTheVrrpAndServiceLines()
    {
        await using var harness = Start(VrrpState.Backup, Peer);
        await harness.PollAndReconcileAsync();

        var text = StatusRenderer.Render(harness.Agent.GetStatus());

        Assert.Contains("VRRP VI_1 (VRID 51, v2, eth0): BACKUP, priority 100/100, master 10.0.0.2, adverts 12 sent / 3 received / 2 dropped\n", text, StringComparison.Ordinal);
        Assert.Contains("Service web TCP 10.0.0.100:80 [VRRP VI_1]: not in kernel\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PollAsync_VrrpCannotBeSetUp_ErrorReportedAndBoundServicesNotCreated()
    {
        await using var harness = Start(VrrpState.Master, master: null);
        harness.Vrrp.Failure = new IOException("cannot open the VRRP socket: permission denied");

        var view = await harness.PollAndReconcileAsync();

        Assert.Equal(0, view.Operations);
        Assert.Empty(harness.Ipvs.GetServices());
        var status = harness.Agent.GetStatus();
        Assert.Empty(status.Vrrp);
        Assert.Contains(status.Errors, e => e.Source == "vrrp" && e.Message.Contains("permission denied", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reconcile_MasterWhoseVipWasRemovedByHand_ItsRouterPutsItBack_CountedAndLoggedAsDrift()
    {
        await using var harness = Start(VrrpState.Master, master: null);

        var view = await harness.PollAndReconcileAsync();

        // The fake router's node lacks the VIP a MASTER holds: the agent has the router (its one writer) put it back.
        Assert.Equal(["VI_1"], harness.Vrrp.Runtime!.Reasserted);
        Assert.Equal(1, view.Drift);
        Assert.Equal(1, PrometheusText.Parse(harness.Agent.WriteMetrics()).Value("reconciler_drift_repaired_total"));
        Assert.Contains(harness.Logs.Lines, l => l.Contains("VRRP VI_1 is MASTER but 10.0.0.100/32 on eth0 was missing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reconcile_MasterHoldingItsVip_NothingReasserted()
    {
        await using var harness = Start(VrrpState.Master, master: null);
        harness.Addresses.Add("eth0", new Topology.Model.InterfaceAddress(IPAddress.Parse("10.0.0.100"), 32));

        var view = await harness.PollAndReconcileAsync();

        Assert.Empty(harness.Vrrp.Runtime!.Reasserted);
        Assert.Equal(0, view.Drift);
    }

    [Fact]
    public async Task Reconcile_BackupWithoutTheVip_NothingReasserted()
    {
        await using var harness = Start(VrrpState.Backup, master: Peer);

        var view = await harness.PollAndReconcileAsync();

        Assert.Empty(harness.Vrrp.Runtime!.Reasserted);
        Assert.Equal(0, view.Drift);
    }

    [Fact]
    public async Task Reconcile_TopologyWithoutVrrp_NoRuntimeAndServicesCreated()
    {
        await using var harness = AgentHarness.Start(Polls.NewValid("Add web and dns", Topologies.Plain));

        await harness.PollAndReconcileAsync();

        Assert.Empty(harness.Vrrp.Created);
        Assert.Equal(2, harness.Ipvs.GetServices().Count);
        Assert.Empty(harness.Agent.GetStatus().Vrrp);
    }
}
