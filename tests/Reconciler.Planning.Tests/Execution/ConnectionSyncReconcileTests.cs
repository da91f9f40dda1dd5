using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Reconciler.Ipvs;
using Reconciler.Planning.Desired;
using Reconciler.Planning.Execution;
using Reconciler.Planning.Plans;
using Reconciler.Planning.Serialization;
using Reconciler.Planning.Tests.Fakes;
using static Reconciler.Planning.Tests.Samples;

namespace Reconciler.Planning.Tests.Execution;

/// <summary>The connection sync daemons through plan, apply and the ownership record (the kernel's own behaviour with
/// them is proven in the lab: IpvsSettingsTests and the stateful-failover scenario).</summary>
public sealed class ConnectionSyncReconcileTests
{
    private static readonly IpvsSyncDaemon Master = new(IpvsSyncDaemonState.Master, "eth0", 51);
    private static readonly IpvsSyncDaemon Backup = Master with { State = IpvsSyncDaemonState.Backup };

    private readonly FakeIpvsClient _kernel = new();
    private readonly MemoryOwnershipStore _store = new();
    private readonly FakeTimeProvider _time = new(Now);

    private NodeReconciler Reconciler => new(_kernel, NoNodeAddresses.Instance, _store, _time);

    private static DesiredState Syncing(IpvsSyncDaemon? master = null) =>
        State() with { SyncDaemons = [new DesiredSyncDaemon(master ?? Master, "VI_1"), new DesiredSyncDaemon((master ?? Master) with { State = IpvsSyncDaemonState.Backup }, "VI_1")] };

    private ApplyOutcome Reconcile(DesiredState desired) => Reconciler.Apply(Reconciler.PlanNow(desired));

    [Fact]
    public void Apply_FromNothing_StartsBothDaemons_ThenNothingToDo()
    {
        var outcome = Reconcile(Syncing());

        Assert.Equal(["start:Master", "start:Backup"], outcome.Plan.Steps.Cast<SyncDaemonStep>().Select(s => $"{(s.Action == StepAction.Create ? "start" : "?")}:{s.Settings.State}"));
        Assert.True(outcome.Result.AllSucceeded);
        Assert.Equal([IpvsSyncDaemonState.Master, IpvsSyncDaemonState.Backup], _kernel.GetSyncDaemons().Select(d => d.State));
        Assert.Empty(Reconciler.PlanNow(Syncing()).Plan.Steps); // the kernel's filled-in defaults match what was asked
        Assert.Equal([Master, Backup], _store.Load().SyncDaemons);
    }

    [Fact]
    public void Apply_PortChanged_RestartsBothWithTheNewPort()
    {
        Reconcile(Syncing());

        var outcome = Reconcile(Syncing(Master with { MulticastPort = 9000 }));

        Assert.All(outcome.Plan.Steps.Cast<SyncDaemonStep>(), s =>
        {
            Assert.Equal(StepAction.Update, s.Action);
            Assert.False(s.IsDrift);
            Assert.Equal("port: 8848 -> 9000", Assert.Single(s.Changes).ToString());
        });
        Assert.True(outcome.Result.AllSucceeded);
        Assert.All(_kernel.GetSyncDaemons(), d => Assert.Equal((ushort)9000, d.MulticastPort));
    }

    [Fact]
    public void Apply_DaemonStoppedByHand_StartedAgainAsDrift()
    {
        Reconcile(Syncing());
        _kernel.StopSyncDaemon(IpvsSyncDaemonState.Backup);

        var step = Assert.IsType<SyncDaemonStep>(Assert.Single(Reconciler.PlanNow(Syncing()).Plan.Steps));

        Assert.Equal((StepAction.Create, IpvsSyncDaemonState.Backup, true), (step.Action, step.Settings.State, step.IsDrift));
    }

    [Fact]
    public void Apply_SyncRemovedFromTheTopology_StopsWhatThisNodeStarted()
    {
        Reconcile(Syncing());

        var outcome = Reconcile(State());

        Assert.All(outcome.Plan.Steps, s => Assert.Equal((StepAction.Delete, "removed from the topology"), (s.Action, s.Reason)));
        Assert.Equal(2, outcome.Plan.Steps.Count);
        Assert.Empty(_kernel.GetSyncDaemons());
        Assert.Empty(_store.Load().SyncDaemons);
    }

    [Fact]
    public void Plan_DaemonSomeoneElseStarted_LeftAloneUnlessPruning()
    {
        _kernel.StartSyncDaemon(Master with { MulticastInterface = "eth9" });

        Assert.Empty(Reconciler.PlanNow(State()).Plan.Steps);
        var pruned = Assert.IsType<SyncDaemonStep>(Assert.Single(Reconciler.PlanNow(State(), pruneUnmanaged: true).Plan.Steps));
        Assert.Equal((StepAction.Delete, "unmanaged, pruned"), (pruned.Action, pruned.Reason));
    }

    [Fact]
    public void Plan_DaemonSomeoneElseStartedWithOtherSettings_ReplacedWithTheReason()
    {
        _kernel.StartSyncDaemon(Master with { MulticastInterface = "eth9" });

        var steps = Reconciler.PlanNow(Syncing()).Plan.Steps.Cast<SyncDaemonStep>().ToList();

        var replace = steps.Single(s => s.Settings.State == IpvsSyncDaemonState.Master);
        Assert.Equal((StepAction.Update, false, "a daemon reconciler did not start runs with other settings"), (replace.Action, replace.IsDrift, replace.Reason));
        Assert.Equal("interface: eth9 -> eth0", Assert.Single(replace.Changes).ToString());
    }

    [Fact]
    public void Apply_StartRefused_ReportedAndNotOwned()
    {
        _kernel.StartSyncDaemon(Backup); // running but not in the record: the plan starts only the master
        var planned = Reconciler.PlanNow(Syncing());
        _kernel.StartSyncDaemon(Master); // someone starts it between plan and apply: the kernel refuses ours

        var outcome = Reconciler.Apply(planned);

        var failure = Assert.Single(outcome.Result.Steps, s => !s.Succeeded);
        Assert.Equal("start IPVS sync daemon Master on eth0: File exists", failure.Error);
        Assert.Equal([Backup], _store.Load().SyncDaemons); // the backup ran as wanted: adopted
    }

    [Fact]
    public void Plan_WithDaemonSteps_RendersAndRoundTripsAsJson()
    {
        var plan = Reconciler.PlanNow(Syncing(Master with { MulticastGroup = IPAddress.Parse("239.0.0.9") })).Plan;

        var text = PlanTextRenderer.Render(plan, color: false);
        var back = JsonSerializer.Deserialize<Plan>(JsonSerializer.Serialize(plan, PlanningJson.Options), PlanningJson.Options)!;

        Assert.Contains("+ connection sync master daemon on eth0 (sync id 51, VRRP VI_1)\n      group 239.0.0.9 port 8848, ttl 1\n", text, StringComparison.Ordinal);
        Assert.Equal(plan.Steps, back.Steps, (a, b) => a is SyncDaemonStep x && b is SyncDaemonStep y && x.Settings == y.Settings && x.Instance == y.Instance && x.Action == y.Action);
    }
}
