using System.Net;
using Microsoft.Extensions.Time.Testing;
using Reconciler.Planning.Desired;
using Reconciler.Planning.Execution;
using Reconciler.Planning.Observed;
using Reconciler.Planning.Ownership;
using Reconciler.Planning.Plans;
using Reconciler.Planning.Tests.Fakes;
using Reconciler.Topology.Model;
using static Reconciler.Planning.Tests.Samples;

namespace Reconciler.Planning.Tests.Execution;

/// <summary>
/// The whole node through one desired state and one writer per object: IPVS, the LVS-DR VIP on lo and the ARP
/// parameters are plan steps; a VRRP instance's VIP is never one (its router is its writer); one read and one record
/// load per plan; a failing step never stops the others.
/// </summary>
public sealed class NodeModelTests
{
    private const string ArpIgnore = "net.ipv4.conf.all.arp_ignore";
    private const string ArpAnnounce = "net.ipv4.conf.all.arp_announce";

    private static readonly InterfaceAddress Vip = new(IPAddress.Parse("192.168.1.120"), 32);
    private static readonly InterfaceAddress VipOnEth0 = new(IPAddress.Parse("192.168.1.120"), 24);

    private readonly FakeIpvsClient _kernel = new();
    private readonly FakeNodeAddresses _addresses = new();
    private readonly MapSysctls _sysctls = new() { [ArpIgnore] = "0", [ArpAnnounce] = "0" };
    private readonly MemoryOwnershipStore _store = new();
    private readonly FakeTimeProvider _time = new(Now);

    private NodeReconciler Reconciler => new(_kernel, _addresses, _sysctls, _store, _time);

    /// <summary>The seed's lb2 as an LVS-DR real server of the VIP, BACKUP of VI_1 (its VIP on eth0 not present).</summary>
    private static DesiredState RealServerNode() => State(Wanted(Service(Tcp("192.168.1.120")), Destination("192.168.1.103"))) with
    {
        Addresses = [new DesiredAddress("lo", Vip, "VI_1", Present: true, Reason: "LVS-DR real server of web: the VIP must be local")],
        Sysctls = DirectRoutingRealServer.ArpSysctls,
        VrrpAddresses = [new DesiredAddress("eth0", VipOnEth0, "VI_1", Present: false)],
    };

    private ApplyOutcome Reconcile(DesiredState desired) => Reconciler.Apply(Reconciler.PlanNow(desired));

    [Fact]
    public void Plan_RealServerNode_ArpParametersBeforeTheVipOnLoAndNoStepForTheVrrpVip()
    {
        var plan = Reconciler.PlanNow(RealServerNode()).Plan;

        Assert.Equal(
            [$"sysctl {ArpIgnore}", $"sysctl {ArpAnnounce}", "address 192.168.1.120/32 on lo"],
            plan.Steps.Take(3).Select(s => s.Target));
        Assert.DoesNotContain(plan.Steps, s => s is AddressStep { Interface: "eth0" });
        var ignore = Assert.IsType<SysctlStep>(plan.Steps[0]);
        Assert.Equal(("0", "1"), (ignore.Old, ignore.New));
    }

    [Fact]
    public void Apply_RealServerNode_ThenNothingToDo_AndTheValuesFoundAreRemembered()
    {
        var outcome = Reconcile(RealServerNode());

        Assert.True(outcome.Result.AllSucceeded);
        Assert.Equal(("1", "2"), (_sysctls[ArpIgnore], _sysctls[ArpAnnounce]));
        Assert.Contains(_addresses.Addresses, a => a.Interface == "lo" && a.Address.Address.Equals(Vip.Address));
        Assert.Equal(new Dictionary<string, string> { [ArpIgnore] = "0", [ArpAnnounce] = "0" }, _store.Record.SysctlOriginals);
        Assert.Empty(Reconciler.PlanNow(RealServerNode()).Plan.Steps);
    }

    [Fact]
    public void Apply_NoLongerARealServer_VipLeavesLoThenTheParametersGoBack()
    {
        Reconcile(RealServerNode());

        var outcome = Reconcile(State(Wanted(Service(Tcp("192.168.1.120")), Destination("192.168.1.103"))));

        Assert.Equal(["address 192.168.1.120/32 on lo", $"sysctl {ArpAnnounce}", $"sysctl {ArpIgnore}"], outcome.Plan.Steps.Select(s => s.Target));
        Assert.Equal(("0", "0"), (_sysctls[ArpIgnore], _sysctls[ArpAnnounce]));
        Assert.Empty(_store.Record.SysctlOriginals);
        Assert.Empty(_store.Record.Addresses);
    }

    [Fact]
    public void Plan_ParameterChangedByHand_RepairedAsDrift()
    {
        Reconcile(RealServerNode());
        _sysctls[ArpIgnore] = "0";

        var step = Assert.IsType<SysctlStep>(Assert.Single(Reconciler.PlanNow(RealServerNode()).Plan.Steps));

        Assert.True(step.IsDrift);
        Assert.Equal(("0", "1"), (step.Old, step.New));
    }

    [Fact]
    public void Plan_VrrpVipOwnedByAnOlderRecord_NeverRemovedAndForgottenByTheRecord()
    {
        // Records written before the split owned the VRRP VIPs; the router owns them now.
        _addresses.Add("eth0", VipOnEth0);
        _store.Record = OwnershipRecord.Empty with { Addresses = [new OwnedAddress("eth0", VipOnEth0)] };

        var outcome = Reconcile(RealServerNode());

        Assert.DoesNotContain(outcome.Plan.Steps, s => s is AddressStep { Interface: "eth0" });
        Assert.Contains(_addresses.Addresses, a => a.Interface == "eth0");
        Assert.DoesNotContain(_store.Record.Addresses, a => a.Interface == "eth0");
    }

    [Fact]
    public void PlanNow_ThenApply_OneReadBeforeOneAfterWhenAskedAndTheRecordLoadedOnce()
    {
        var planned = Reconciler.PlanNow(RealServerNode());
        Assert.Equal((1, 1), (_kernel.Dumps, _store.Loads));

        var outcome = Reconciler.Apply(planned);
        Assert.Equal((1, 1), (_kernel.Dumps, _store.Loads)); // `reconciler apply` reports without a second dump

        Assert.NotEmpty(outcome.After!.Services);
        Assert.Same(outcome.After, outcome.After);
        Assert.Equal((2, 1), (_kernel.Dumps, _store.Loads)); // the agent's drift check keeps the one read after
    }

    [Fact]
    public void PlanAgainst_ReadingMadeBeforeTheTopologyWasLoaded_SameAsPlanNowAndNoMoreReads()
    {
        var reading = Reconciler.Read(); // what plan and apply start on another thread before loading the topology
        Assert.Equal((1, 1), (_kernel.Dumps, _store.Loads));

        var planned = Reconciler.PlanAgainst(reading, RealServerNode());

        Assert.Equal((1, 1), (_kernel.Dumps, _store.Loads));
        Assert.Same(reading.Observed, planned.Observed);
        Assert.Equal(Reconciler.PlanNow(RealServerNode()).Plan.Steps, planned.Plan.Steps);
    }

    [Fact]
    public void PlanNow_NothingToDo_ApplyReadsNothingMore()
    {
        Reconcile(RealServerNode());
        var dumps = _kernel.Dumps;

        Reconciler.Apply(Reconciler.PlanNow(RealServerNode()));

        Assert.Equal(dumps + 1, _kernel.Dumps);
    }

    [Fact]
    public void Apply_AddressStepFails_EveryOtherStepStillRunsAndTheNextReconcileConverges()
    {
        var failing = new FailingAddresses(_addresses) { Error = new IOException("RTM_NEWADDR lo: Operation not permitted (EPERM)") };
        var reconciler = new NodeReconciler(_kernel, failing, _sysctls, _store, _time);

        var outcome = reconciler.Apply(reconciler.PlanNow(RealServerNode()));

        var failed = Assert.Single(outcome.Result.Steps, s => !s.Succeeded);
        Assert.Equal("add address 192.168.1.120/32 on lo: RTM_NEWADDR lo: Operation not permitted (EPERM)", failed.Error);
        Assert.Equal(outcome.Plan.Steps.Count - 1, outcome.Result.Succeeded);
        Assert.NotEmpty(_kernel.GetAll());
        Assert.Equal("1", _sysctls[ArpIgnore]);

        failing.Error = null;
        var retry = reconciler.Apply(reconciler.PlanNow(RealServerNode()));

        Assert.Equal(["address 192.168.1.120/32 on lo"], retry.Plan.Steps.Select(s => s.Target));
        Assert.True(retry.Result.AllSucceeded);
    }

    [Fact]
    public void Apply_AnyExceptionFromAStep_ReportedNotThrown()
    {
        // Not only the I/O exceptions: whatever an edge throws fails its own step.
        var failing = new FailingAddresses(_addresses) { Error = new ArgumentException("unexpected") };
        var reconciler = new NodeReconciler(_kernel, failing, _sysctls, _store, _time);

        var outcome = reconciler.Apply(reconciler.PlanNow(RealServerNode()));

        Assert.Contains(outcome.Result.Steps, s => s.Error == "add address 192.168.1.120/32 on lo: unexpected");
        Assert.Equal(1, outcome.Result.Failed);
    }

    [Fact]
    public void ApplySaved_ParameterChangedSincePlan_RefusedAsStale()
    {
        var live = Reconciler.ReadLive();
        var plan = Reconciler.Plan(RealServerNode(), live);
        _sysctls[ArpAnnounce] = "1";

        Assert.Throws<StalePlanException>(() => Reconciler.ApplySaved(SavedPlan.Of(plan, RealServerNode())));
    }

    private sealed class MapSysctls : Dictionary<string, string>, INodeSysctls
    {
        public MapSysctls()
            : base(StringComparer.Ordinal)
        {
        }

        public string? Read(string name) => TryGetValue(name, out var value) ? value : null;

        public void Write(string name, string value) => this[name] = value;
    }

    private sealed class FailingAddresses(FakeNodeAddresses inner) : INodeAddresses
    {
        public Exception? Error { get; set; }

        public IReadOnlyList<ObservedAddress> GetAddresses() => inner.GetAddresses();

        public void Add(string interfaceName, InterfaceAddress address)
        {
            if (Error is not null)
            {
                throw Error;
            }

            inner.Add(interfaceName, address);
        }

        public void Remove(string interfaceName, InterfaceAddress address) => inner.Remove(interfaceName, address);
    }
}
