using Microsoft.Extensions.Time.Testing;
using Reconciler.Ipvs;
using Reconciler.Planning.Desired;
using Reconciler.Planning.Execution;
using Reconciler.Planning.Plans;
using Reconciler.Planning.Tests.Fakes;
using static Reconciler.Planning.Tests.Samples;

namespace Reconciler.Planning.Tests.Execution;

public sealed class NodeReconcilerTests
{
    private static readonly ServiceKey Web = Tcp("192.168.1.120");

    private readonly FakeIpvsClient _kernel = new();
    private readonly MemoryOwnershipStore _store = new();
    private readonly FakeTimeProvider _time = new(Now);

    private NodeReconciler Reconciler => new(_kernel, NoNodeAddresses.Instance, _store, _time);

    private ApplyOutcome Reconcile(DesiredState desired)
    {
        var live = Reconciler.ReadLive();
        return Reconciler.Apply(desired, live, Reconciler.Plan(desired, live));
    }

    private static DesiredState Seed(int weight104 = 5) =>
        State(Wanted(Service(Web, persistence: 50), Destination("192.168.1.103"), Destination("192.168.1.104", weight: weight104)));

    [Fact]
    public void Apply_ThenPlan_NoChanges()
    {
        Reconcile(Seed());

        var plan = Reconciler.Plan(Seed(), Reconciler.ReadLive());

        Assert.Empty(plan.Steps);
    }

    [Fact]
    public void Apply_OneWeightChange_SendsExactlyOneWriteRequest()
    {
        Reconcile(Seed());
        var before = _kernel.WriteRequests;

        var outcome = Reconcile(Seed(weight104: 3));

        Assert.Equal(1, _kernel.WriteRequests - before);
        Assert.True(outcome.Result.AllSucceeded);
        Assert.Equal(3, _kernel.GetDestinations(Web).Single(d => d.Destination.Address.ToString() == "192.168.1.104").Destination.Weight);
    }

    [Fact]
    public void Apply_SavedPlanAfterKernelChanged_RefusedAsStale()
    {
        var live = Reconciler.ReadLive();
        var plan = Reconciler.Plan(Seed(), live);
        _kernel.AddService(Service(Tcp("10.9.9.9"), "rr"));

        var error = Assert.Throws<StalePlanException>(() => Reconciler.ApplySaved(SavedPlan.Of(plan, Seed())));

        Assert.StartsWith("stale plan: the live state changed since the plan was made", error.Message, StringComparison.Ordinal);
        Assert.Null(_kernel.GetService(Web));
    }

    [Fact]
    public void Apply_SavedPlanWhileKernelUnchanged_Applied()
    {
        var live = Reconciler.ReadLive();
        var plan = Reconciler.Plan(Seed(), live);

        var outcome = Reconciler.ApplySaved(SavedPlan.Of(plan, Seed()));

        Assert.Equal(3, outcome.Result.Succeeded);
    }

    [Fact]
    public void ApplySaved_AfterWritingAndReadingThePlanFile_AppliesExactlyThePlan()
    {
        var path = Path.GetTempFileName();
        try
        {
            var live = Reconciler.ReadLive();
            SavedPlan.Of(Reconciler.Plan(Seed(), live), Seed()).Write(path);

            var outcome = Reconciler.ApplySaved(SavedPlan.Read(path));

            Assert.Equal(3, outcome.Result.Succeeded);
            Assert.Empty(Reconciler.Plan(Seed(), Reconciler.ReadLive()).Steps);
            Assert.Equal(2, _store.Record.Services.Single().Destinations.Count);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Apply_KilledInTheMiddle_NextApplyConvergesWithoutDuplicatesOrErrors()
    {
        var large = State(Enumerable.Range(1, 50)
            .Select(i => Wanted(Service(Tcp("10.1.0.1", (ushort)(1000 + i))), Destination("10.2.0.1", (ushort)(1000 + i)), Destination("10.2.0.2", (ushort)(1000 + i))))
            .ToArray());
        // Killed after the kernel took 77 writes: the intent was saved, the record after the apply never was.
        _kernel.CrashAfterWrites = 77;
        _store.KillAtSave = 2;
        Assert.Throws<IOException>(() => Reconcile(large));
        Assert.NotEmpty(_store.Record.Services);

        _kernel.CrashAfterWrites = null;
        var outcome = Reconcile(large);

        Assert.True(outcome.Result.AllSucceeded, string.Join("; ", outcome.Result.Steps.Where(s => !s.Succeeded).Select(s => s.Error)));
        Assert.Equal(150 - 77, outcome.Result.Steps.Count);
        Assert.Equal(50, _kernel.GetAll().Count);
        Assert.Empty(Reconciler.Plan(large, Reconciler.ReadLive()).Steps);
    }

    [Fact]
    public void Apply_KilledAfterCreatingThenTopologyShrinks_CreatedObjectsAreStillOwnedAndRemoved()
    {
        _kernel.CrashAfterWrites = 2;
        _store.KillAtSave = 2;
        Assert.Throws<IOException>(() => Reconcile(Seed()));

        _kernel.CrashAfterWrites = null;
        var outcome = Reconcile(State());

        Assert.Empty(_kernel.GetAll());
        Assert.Empty(outcome.Plan.Unmanaged);
    }

    [Fact]
    public void Apply_ServiceRemovedFromTopology_ForgottenAfterDeletion()
    {
        Reconcile(Seed());

        var outcome = Reconcile(State());

        Assert.Equal([StepAction.Delete, StepAction.Delete, StepAction.Delete], outcome.Plan.Steps.Select(s => s.Action));
        Assert.Empty(_kernel.GetAll());
        Assert.Empty(_store.Record.Services);
    }

    [Fact]
    public void Apply_FailedStep_ReportedWithTheKernelErrorAndOthersStillApplied()
    {
        var desired = State(
            Wanted(Service(Tcp("10.1.0.1"), "no-such-scheduler"), Destination("10.2.0.1")),
            Wanted(Service(Tcp("10.1.0.2")), Destination("10.2.0.1")));

        var outcome = Reconcile(desired);

        Assert.Equal(
            ["add service TCP 10.1.0.1:80: No such file or directory", "add real server 10.2.0.1:80 to TCP 10.1.0.1:80: No such process"],
            outcome.Result.Steps.Where(s => !s.Succeeded).Select(s => s.Error));
        Assert.NotNull(_kernel.GetService(Tcp("10.1.0.2")));
        Assert.DoesNotContain(_store.Record.Services, s => s.Settings.Key == Tcp("10.1.0.1"));
    }

    [Fact]
    public void Drain_OverSuccessiveReconciles_WeightZeroThenDeletedWhenConnectionsEnd()
    {
        Reconcile(Seed());
        _kernel.SetConnections(Web, System.Net.IPAddress.Parse("192.168.1.103"), 80, active: 2, inactive: 1);
        var oneServer = State(Wanted(Service(Web, persistence: 50), Destination("192.168.1.104", weight: 5)));

        var first = Reconcile(oneServer);
        _time.Advance(TimeSpan.FromSeconds(30));
        var second = Reconcile(oneServer);
        _kernel.SetConnections(Web, System.Net.IPAddress.Parse("192.168.1.103"), 80, active: 0, inactive: 0);
        var third = Reconcile(oneServer);

        Assert.Equal(StepAction.Drain, Assert.Single(first.Plan.Steps).Action);
        Assert.Empty(second.Plan.Steps);
        Assert.Equal(Now, Assert.Single(second.Plan.Draining).Since);
        Assert.Equal(StepAction.Delete, Assert.Single(third.Plan.Steps).Action);
        Assert.Single(_kernel.GetDestinations(Web));
    }
}
