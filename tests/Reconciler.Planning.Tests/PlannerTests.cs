using System.Net;
using Reconciler.Ipvs;
using Reconciler.Planning.Desired;
using Reconciler.Planning.Observed;
using Reconciler.Planning.Ownership;
using Reconciler.Planning.Plans;
using Reconciler.Topology.Model;
using static Reconciler.Planning.Tests.Samples;

namespace Reconciler.Planning.Tests;

public sealed class PlannerTests
{
    private static readonly ServiceKey Web = Tcp("192.168.1.120");

    private static OwnershipRecord Owning(params ServiceWithDestinations[] services) =>
        new(services.Select(s => new OwnedService(s.Service, s.Destinations.Select(d => new OwnedDestination(d.Destination)).ToList())).ToList(), []);

    [Fact]
    public void Create_EmptyKernel_CreatesServiceBeforeItsRealServers()
    {
        var desired = State(Wanted(Service(Web), Destination("192.168.1.103"), Destination("192.168.1.104", weight: 5)));

        var plan = Planner.Create(desired, ObservedState.Empty, OwnershipRecord.Empty, Options);

        Assert.Collection(plan.Steps,
            s => Assert.Equal((StepAction.Create, "service svc-80 (TCP 192.168.1.120:80)"), (s.Action, s.Target)),
            s => Assert.Equal((StepAction.Create, "real server 192.168.1.103:80 of svc-80 (TCP 192.168.1.120:80)"), (s.Action, s.Target)),
            s => Assert.Equal((StepAction.Create, "real server 192.168.1.104:80 of svc-80 (TCP 192.168.1.120:80)"), (s.Action, s.Target)));
        Assert.Equal(new PlanSummary(3, 0, 0, 0), plan.Summary);
    }

    [Fact]
    public void Create_KernelMatchesTopology_NoSteps()
    {
        var desired = State(Wanted(Service(Web, persistence: 50), Destination("192.168.1.103"), Destination("192.168.1.104", weight: 5)));

        var plan = Planner.Create(desired, ObservedFrom(desired), OwnershipRecord.Empty, Options);

        Assert.Empty(plan.Steps);
        Assert.Equal("No changes. The live state matches the topology.", plan.Summary.ToString());
    }

    [Fact]
    public void Create_OneWeightChanged_ExactlyOneUpdateNamingTheField()
    {
        var live = Live(Service(Web), Destination("192.168.1.103"), Destination("192.168.1.104", weight: 5));
        var desired = State(Wanted(Service(Web), Destination("192.168.1.103"), Destination("192.168.1.104", weight: 3)));

        var plan = Planner.Create(desired, Kernel(live), Owning(live), Options);

        var step = Assert.IsType<DestinationStep>(Assert.Single(plan.Steps));
        Assert.Equal(StepAction.Update, step.Action);
        Assert.Equal([new FieldChange("weight", "5", "3")], step.Changes);
        Assert.False(step.IsDrift);
        Assert.Equal("Plan: 0 to add, 1 to change, 0 to destroy.", plan.Summary.ToString());
    }

    [Fact]
    public void Create_RealServersListedInAnotherOrder_NoSteps()
    {
        var desired = State(Wanted(Service(Web), Destination("192.168.1.103"), Destination("192.168.1.104", weight: 5), Destination("192.168.1.105", 8080)));
        var live = Live(Service(Web), Destination("192.168.1.105", 8080), Destination("192.168.1.104", weight: 5), Destination("192.168.1.103"));

        Assert.Empty(Planner.Create(desired, Kernel(live), Owning(live), Options).Steps);
    }

    [Fact]
    public void Create_SameAddressOtherPort_DifferentRealServer()
    {
        var live = Live(Service(Web), Destination("192.168.1.103", 8080));
        var desired = State(Wanted(Service(Web), Destination("192.168.1.103", 80)));

        var plan = Planner.Create(desired, Kernel(live), Owning(live), Options);

        Assert.Collection(plan.Steps,
            s => Assert.Equal((StepAction.Create, "real server 192.168.1.103:80 of svc-80 (TCP 192.168.1.120:80)"), (s.Action, s.Target)),
            s => Assert.Equal((StepAction.Delete, "real server 192.168.1.103:8080 of svc-80 (TCP 192.168.1.120:80)"), (s.Action, s.Target)));
    }

    [Fact]
    public void Create_KernelListsAServiceTwice_Refused()
    {
        var live = Live(Service(Web), Destination("192.168.1.103"));

        Assert.Throws<ArgumentException>(() => Planner.Create(State(), Kernel(live, live), OwnershipRecord.Empty, Options));
    }

    [Fact]
    public void Create_SchedulerAndPersistenceChanged_UpdatesServiceInPlace()
    {
        var live = Live(Service(Web, "rr"), Destination("192.168.1.103"));
        var desired = State(Wanted(Service(Web, "wrr", persistence: 50), Destination("192.168.1.103")));

        var plan = Planner.Create(desired, Kernel(live), Owning(live), Options);

        var step = Assert.IsType<ServiceStep>(Assert.Single(plan.Steps));
        Assert.Equal(StepAction.Update, step.Action);
        Assert.Equal(
            [new FieldChange("scheduler", "rr", "wrr"), new FieldChange("flags", "none", "persistent"), new FieldChange("persistence timeout", "0s", "50s")],
            step.Changes);
    }

    [Fact]
    public void Create_ForwardingAndThresholdsChanged_UpdatesRealServerInPlace()
    {
        var live = Live(Service(Web), Destination("10.0.0.1", forwarding: IpvsForwarding.Masquerade));
        var desired = State(Wanted(Service(Web), Destination("10.0.0.1") with { UpperThreshold = 100, LowerThreshold = 10 }));

        var plan = Planner.Create(desired, Kernel(live), Owning(live), Options);

        var step = Assert.IsType<DestinationStep>(Assert.Single(plan.Steps));
        Assert.Equal(StepAction.Update, step.Action);
        Assert.Equal(["forwarding", "upper threshold", "lower threshold"], step.Changes.Select(c => c.Field));
    }

    [Fact]
    public void Create_OwnedServiceLeftTheTopology_DeletesRealServersBeforeTheService()
    {
        var live = Live(Service(Web), Destination("10.0.0.1"), Destination("10.0.0.2"));

        var plan = Planner.Create(State(), Kernel(live), Owning(live), Options);

        Assert.Equal(
            [(StepAction.Delete, "real server 10.0.0.1:80 of TCP 192.168.1.120:80"), (StepAction.Delete, "real server 10.0.0.2:80 of TCP 192.168.1.120:80"), (StepAction.Delete, "service TCP 192.168.1.120:80")],
            plan.Steps.Select(s => (s.Action, s.Target)));
    }

    [Fact]
    public void Create_ServiceOfAnotherTool_ListedAsUnmanagedAndLeftAlone()
    {
        var foreign = Live(Service(Tcp("10.9.9.9", 8080), "rr"), Destination("10.0.0.7", 8080, forwarding: IpvsForwarding.Masquerade));
        var desired = State(Wanted(Service(Web), Destination("10.0.0.1")));

        var plan = Planner.Create(desired, Kernel(foreign), OwnershipRecord.Empty, Options);

        Assert.DoesNotContain(plan.Steps, s => s.Target.Contains("10.9.9.9", StringComparison.Ordinal));
        Assert.Equal([new UnmanagedService(foreign.Service.Key, 1)], plan.Unmanaged);
    }

    [Fact]
    public void Create_UnmanagedWithPrune_DeletesIt()
    {
        var foreign = Live(Service(Tcp("10.9.9.9", 8080), "rr"), Destination("10.0.0.7", 8080));

        var plan = Planner.Create(State(), Kernel(foreign), OwnershipRecord.Empty, Options with { PruneUnmanaged = true });

        Assert.Equal([StepAction.Delete, StepAction.Delete], plan.Steps.Select(s => s.Action));
        Assert.Empty(plan.Unmanaged);
    }

    [Fact]
    public void Create_OwnedRealServerDeletedByHand_RecreatedAsDrift()
    {
        var applied = Live(Service(Web), Destination("10.0.0.1"), Destination("10.0.0.2"));
        var live = Live(Service(Web), Destination("10.0.0.1"));
        var desired = State(Wanted(Service(Web), Destination("10.0.0.1"), Destination("10.0.0.2")));

        var plan = Planner.Create(desired, Kernel(live), Owning(applied), Options);

        var step = Assert.Single(plan.Steps);
        Assert.Equal((StepAction.Create, true, "deleted outside reconciler"), (step.Action, step.IsDrift, step.Reason));
        Assert.Equal(1, plan.Summary.Drift);
    }

    [Fact]
    public void Create_WeightChangedByHand_UpdateMarkedAsDrift()
    {
        var applied = Live(Service(Web), Destination("10.0.0.1", weight: 5));
        var live = Live(Service(Web), Destination("10.0.0.1", weight: 9));
        var desired = State(Wanted(Service(Web), Destination("10.0.0.1", weight: 5)));

        var plan = Planner.Create(desired, Kernel(live), Owning(applied), Options);

        var step = Assert.Single(plan.Steps);
        Assert.True(step.IsDrift);
        Assert.Equal([new FieldChange("weight", "9", "5")], ((DestinationStep)step).Changes);
    }

    [Fact]
    public void Create_TopologyChangeWithoutDrift_NotMarkedAsDrift()
    {
        var applied = Live(Service(Web), Destination("10.0.0.1", weight: 5));
        var desired = State(Wanted(Service(Web), Destination("10.0.0.1", weight: 7)));

        var plan = Planner.Create(desired, Kernel(applied), Owning(applied), Options);

        Assert.False(Assert.Single(plan.Steps).IsDrift);
    }

    [Fact]
    public void Create_RealServerAddedByHandToOwnedService_DeletedAsDrift()
    {
        var applied = Live(Service(Web), Destination("10.0.0.1"));
        var live = Live(Service(Web), Destination("10.0.0.1"), Destination("10.0.0.66"));
        var desired = State(Wanted(Service(Web), Destination("10.0.0.1")));

        var plan = Planner.Create(desired, Kernel(live), Owning(applied), Options);

        var step = Assert.Single(plan.Steps);
        Assert.Equal((StepAction.Delete, true, "added outside reconciler"), (step.Action, step.IsDrift, step.Reason));
    }

    [Fact]
    public void Create_NewRealServerReplacesOld_NewOneAddedBeforeOldOneLeaves()
    {
        var applied = Live(Service(Web), Destination("10.0.0.1"));
        var desired = State(Wanted(Service(Web), Destination("10.0.0.2")));

        var plan = Planner.Create(desired, Kernel(applied), Owning(applied), Options);

        Assert.Equal([(StepAction.Create, "10.0.0.2"), (StepAction.Delete, "10.0.0.1")],
            plan.Steps.Cast<DestinationStep>().Select(s => (s.Action, s.Settings.Address.ToString())));
    }

    [Fact]
    public void Create_RemovedTcpServerWithConnections_DrainsAtWeightZero()
    {
        var applied = Live(Service(Web), Destination("10.0.0.1", weight: 5), Destination("10.0.0.2"));
        var live = applied with { Destinations = [applied.Destinations[0] with { ActiveConnections = 3, InactiveConnections = 4 }, applied.Destinations[1]] };
        var desired = State(Wanted(Service(Web), Destination("10.0.0.2")));

        var plan = Planner.Create(desired, Kernel(live), Owning(applied), Options);

        var step = Assert.IsType<DestinationStep>(Assert.Single(plan.Steps));
        Assert.Equal((StepAction.Drain, 0), (step.Action, step.Settings.Weight));
        Assert.Equal([new FieldChange("weight", "5", "0")], step.Changes);
        var draining = Assert.Single(plan.Draining);
        Assert.Equal((3u, 4u, Now + PlannerOptions.DefaultDrainTimeout), (draining.ActiveConnections, draining.InactiveConnections, draining.Deadline));
    }

    [Fact]
    public void Create_DrainingServerStillConnectedBeforeDeadline_WaitsWithoutSteps()
    {
        var since = Now - TimeSpan.FromMinutes(1);
        var live = Live(Service(Web), Destination("10.0.0.1", weight: 0));
        live = live with { Destinations = [live.Destinations[0] with { ActiveConnections = 1 }] };
        var record = new OwnershipRecord([new OwnedService(Service(Web), [new OwnedDestination(Destination("10.0.0.1", weight: 0), since)])], []);

        var plan = Planner.Create(State(Wanted(Service(Web))), Kernel(live), record, Options);

        Assert.Empty(plan.Steps);
        Assert.Equal(since, Assert.Single(plan.Draining).Since);
    }

    [Fact]
    public void Create_DrainingServerWithNoConnectionsLeft_Deleted()
    {
        var live = Live(Service(Web), Destination("10.0.0.1", weight: 0));
        var record = new OwnershipRecord([new OwnedService(Service(Web), [new OwnedDestination(Destination("10.0.0.1", weight: 0), Now - TimeSpan.FromSeconds(5))])], []);

        var plan = Planner.Create(State(Wanted(Service(Web))), Kernel(live), record, Options);

        Assert.Equal(StepAction.Delete, Assert.Single(plan.Steps).Action);
    }

    [Fact]
    public void Create_DrainTimeoutPassed_DeletedDespiteConnections()
    {
        var live = Live(Service(Web), Destination("10.0.0.1", weight: 0));
        live = live with { Destinations = [live.Destinations[0] with { ActiveConnections = 9 }] };
        var record = new OwnershipRecord([new OwnedService(Service(Web), [new OwnedDestination(Destination("10.0.0.1", weight: 0), Now - TimeSpan.FromMinutes(6))])], []);

        var plan = Planner.Create(State(Wanted(Service(Web))), Kernel(live), record, Options);

        var step = Assert.Single(plan.Steps);
        Assert.Equal(StepAction.Delete, step.Action);
        Assert.Contains("drain timeout passed with 9 connections", step.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_DrainingServerWantedAgain_RestoredToItsWeight()
    {
        var live = Live(Service(Web), Destination("10.0.0.1", weight: 0));
        var record = new OwnershipRecord([new OwnedService(Service(Web), [new OwnedDestination(Destination("10.0.0.1", weight: 0), Now)])], []);

        var plan = Planner.Create(State(Wanted(Service(Web), Destination("10.0.0.1", weight: 5))), Kernel(live), record, Options);

        var step = Assert.IsType<DestinationStep>(Assert.Single(plan.Steps));
        Assert.Equal((StepAction.Update, 5, "wanted again while draining", false), (step.Action, step.Settings.Weight, step.Reason, step.IsDrift));
    }

    [Fact]
    public void Create_RemovedUdpServer_DeletedAtOnce()
    {
        var dns = Udp("192.168.1.53");
        var applied = Live(Service(dns), Destination("10.0.0.1", 53), Destination("10.0.0.2", 53));
        var live = applied with { Destinations = [applied.Destinations[0] with { ActiveConnections = 5 }, applied.Destinations[1]] };

        var plan = Planner.Create(State(Wanted(Service(dns), Destination("10.0.0.2", 53))), Kernel(live), Owning(applied), Options);

        Assert.Equal(StepAction.Delete, Assert.Single(plan.Steps).Action);
        Assert.Empty(plan.Draining);
    }

    [Fact]
    public void Create_HealthRemovedServer_DeletedAtOnceWithTheHealthReason()
    {
        var applied = Live(Service(Web), Destination("10.0.0.1"), Destination("10.0.0.2"));
        var live = applied with { Destinations = [applied.Destinations[0] with { ActiveConnections = 5 }, applied.Destinations[1]] };
        var desired = State(Wanted(Service(Web), Destination("10.0.0.2")) with
        {
            RemoveAtOnce = [new DestinationRemoval(IPAddress.Parse("10.0.0.1"), 80, "health: tcp connect 10.0.0.1:80 refused, 3rd failure")],
        });

        var plan = Planner.Create(desired, Kernel(live), Owning(applied), Options);

        var step = Assert.Single(plan.Steps);
        Assert.Equal((StepAction.Delete, "health: tcp connect 10.0.0.1:80 refused, 3rd failure"), (step.Action, step.Reason));
    }

    [Fact]
    public void Create_ServiceHeldWhileRoleUnknown_NeitherCreatedNorDeleted()
    {
        var held = Wanted(Service(Web), Destination("10.0.0.1")) with { OnlyIfPresent = true };

        var absent = Planner.Create(State(held), ObservedState.Empty, OwnershipRecord.Empty, Options);
        var present = Planner.Create(State(held), Kernel(Live(Service(Web), Destination("10.0.0.1", weight: 2))), OwnershipRecord.Empty, Options);

        Assert.Empty(absent.Steps);
        Assert.Equal(StepAction.Update, Assert.Single(present.Steps).Action);
        Assert.Empty(present.Unmanaged);
    }

    [Fact]
    public void Create_MasterAddsVipFirst_BackupRemovesItLast()
    {
        InterfaceAddress.TryParse("192.168.1.120/32", out var vip);
        var master = new DesiredState("lb1", [Wanted(Service(Web), Destination("10.0.0.1"))], [new DesiredAddress("eth0", vip!, "VI_1", true)]);
        var backup = new DesiredState("lb1", [], [new DesiredAddress("eth0", vip!, "VI_1", false)]);
        var holding = new ObservedState([Live(Service(Web), Destination("10.0.0.1"))], [new ObservedAddress("eth0", vip!)]);
        var owned = new OwnershipRecord([new OwnedService(Service(Web), [new OwnedDestination(Destination("10.0.0.1"))])], []);

        var up = Planner.Create(master, ObservedState.Empty, OwnershipRecord.Empty, Options);
        var down = Planner.Create(backup, holding, owned, Options);

        Assert.IsType<AddressStep>(up.Steps[0]);
        Assert.Equal(StepAction.Create, up.Steps[0].Action);
        Assert.IsType<AddressStep>(down.Steps[^1]);
        Assert.Equal(StepAction.Delete, down.Steps[^1].Action);
    }

    [Fact]
    public void Create_RoleNotKnownYet_OwnedVipOnTheInterfaceIsHeldNotRemoved()
    {
        InterfaceAddress.TryParse("192.168.1.120/32", out var vip);
        var held = new DesiredState("lb1", [], [new DesiredAddress("eth0", vip!, "VI_1", Present: false, Held: true)]);
        var owned = new OwnershipRecord([], [new OwnedAddress("eth0", vip!)]);

        var withVip = Planner.Create(held, new ObservedState([], [new ObservedAddress("eth0", vip!)]), owned, Options);
        var withoutVip = Planner.Create(held, ObservedState.Empty, owned, Options);

        Assert.Empty(withVip.Steps);
        Assert.Empty(withoutVip.Steps);
    }
}
