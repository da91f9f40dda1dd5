using System.Net;
using Microsoft.Extensions.Time.Testing;
using Reconciler.Planning.Desired;
using Reconciler.Planning.Execution;
using Reconciler.Planning.Observed;
using Reconciler.Planning.Plans;
using Reconciler.Planning.Tests.Fakes;
using Reconciler.Topology.Model;
using static Reconciler.Planning.Tests.Samples;

namespace Reconciler.Planning.Tests;

/// <summary>A node's static routes and rules through plan, apply and the ownership record; a VRRP instance's never a step.</summary>
public sealed class NodeRoutesTests
{
    private static readonly InterfaceAddress Source = Prefix("10.0.0.5/24");
    private static readonly IpRoute Route = new(Prefix("10.10.0.0/16"), RouteType.Unicast, IPAddress.Parse("10.0.0.254"), "eth0", Source.Address, 100, null, null, false);
    private static readonly IpRule Rule = new(Prefix("10.0.0.5/32"), null, 100, RuleAction.Table, 100, null, null, null, null, null);

    private readonly FakeIpvsClient _kernel = new();
    private readonly FakeNodeAddresses _addresses = new();
    private readonly FakeNodeRoutes _routes = new();
    private readonly MemoryOwnershipStore _store = new();
    private readonly FakeTimeProvider _time = new(Now);

    private NodeReconciler Reconciler => new(_kernel, _addresses, NoNodeSysctls.Instance, _routes, _store, _time);

    private static DesiredState WithNetwork(IpRoute[] routes, IpRule[] rules, bool address = true) => State() with
    {
        Addresses = address ? [new DesiredAddress("eth0", Source, NodeNetworkState.StaticOwner, Present: true, Reason: "static address")] : [],
        Routes = [.. routes.Select(r => new DesiredRoute(r, null, Present: true))],
        Rules = [.. rules.Select(r => new DesiredRule(r, null, Present: true))],
    };

    [Fact]
    public void PlanNow_NoRoutesDeclaredOrOwned_DoesNotReadTheRoutingTables()
    {
        _routes.Routes.Add(new ObservedRoute(Route, Ours: false));

        Assert.Empty(Reconciler.PlanNow(State()).Plan.Steps);
        Assert.Equal(0, _routes.Reads);

        // Declared: read. Then dropped but still owned: read, so the plan removes it.
        Reconciler.Apply(Reconciler.PlanNow(WithNetwork([Route with { Table = 101 }], [])));
        Assert.Equal(2, _routes.Reads);
        var removal = Reconciler.PlanNow(State());
        Assert.Equal(4, _routes.Reads);
        Assert.Equal(StepAction.Delete, Assert.Single(removal.Plan.Steps.OfType<RouteStep>()).Action);
    }

    [Fact]
    public void Apply_StaticNetwork_AddsAddressThenRouteThenRule_AndIsThenClean()
    {
        var plan = Reconciler.PlanNow(WithNetwork([Route], [Rule]));

        Assert.Collection(plan.Plan.Steps,
            s => Assert.IsType<AddressStep>(s),
            s => Assert.Equal(StepAction.Create, Assert.IsType<RouteStep>(s).Action),
            s => Assert.Equal(StepAction.Create, Assert.IsType<RuleStep>(s).Action));
        Assert.True(Reconciler.Apply(plan).Result.AllSucceeded);
        Assert.Single(_store.Record.Routes);
        Assert.Single(_store.Record.Rules);
        Assert.Empty(Reconciler.PlanNow(WithNetwork([Route], [Rule])).Plan.Steps);
    }

    [Fact]
    public void Apply_DroppedFromTopology_RemovesRuleThenRouteThenAddress()
    {
        Reconciler.Apply(Reconciler.PlanNow(WithNetwork([Route], [Rule])));
        _routes.Calls.Clear();

        var plan = Reconciler.PlanNow(WithNetwork([], [], address: false));

        Assert.Collection(plan.Plan.Steps,
            s => Assert.Equal(StepAction.Delete, Assert.IsType<RuleStep>(s).Action),
            s => Assert.Equal(StepAction.Delete, Assert.IsType<RouteStep>(s).Action),
            s => Assert.Equal(StepAction.Delete, Assert.IsType<AddressStep>(s).Action));
        Assert.True(Reconciler.Apply(plan).Result.AllSucceeded);
        Assert.Equal(["remove rule 100", "remove route 10.10.0.0/16"], _routes.Calls);
        Assert.Empty(_routes.Routes);
        Assert.Empty(_store.Record.Routes);
        Assert.Empty(_store.Record.Rules);
    }

    [Fact]
    public void Plan_RouteSomeoneElseAdded_IsNeitherOwnedNorEverRemoved()
    {
        _routes.Routes.Add(new ObservedRoute(Route with { Metric = 0, Scope = RouteScope.Universe }, Ours: false));
        var applied = Reconciler.Apply(Reconciler.PlanNow(WithNetwork([Route], [], address: false)));
        Assert.Empty(applied.Plan.Steps);
        Assert.Empty(_store.Record.Routes);

        Assert.Empty(Reconciler.PlanNow(WithNetwork([], [], address: false)).Plan.Steps);
    }

    [Fact]
    public void Plan_SameKeyOtherGateway_ReplacesInPlace_NamingTheChange()
    {
        Reconciler.Apply(Reconciler.PlanNow(WithNetwork([Route], [], address: false)));
        var moved = Route with { Via = IPAddress.Parse("10.0.0.253") };

        var plan = Reconciler.PlanNow(WithNetwork([moved], [], address: false));

        var step = Assert.IsType<RouteStep>(Assert.Single(plan.Plan.Steps));
        Assert.Equal(StepAction.Update, step.Action);
        Assert.Equal([new FieldChange("via", "10.0.0.254", "10.0.0.253")], step.Changes);
        Reconciler.Apply(plan);
        Assert.Equal(moved.Via, Assert.Single(_routes.Routes).Route.Via);
    }

    [Fact]
    public void Plan_OwnedRouteDeletedByHand_IsAddedBackAsDrift()
    {
        Reconciler.Apply(Reconciler.PlanNow(WithNetwork([Route], [Rule], address: false)));
        _routes.Routes.Clear();
        _routes.Rules.Clear();

        var plan = Reconciler.PlanNow(WithNetwork([Route], [Rule], address: false));

        Assert.All(plan.Plan.Steps, s => Assert.True(s.IsDrift));
        Assert.Equal(2, plan.Plan.Summary.Drift);
    }

    [Fact]
    public void Plan_VrrpRoutesAndRules_AreNeverSteps_AndAStaticRouteTheyNowDeclareStays()
    {
        Reconciler.Apply(Reconciler.PlanNow(WithNetwork([Route], [Rule], address: false)));
        var desired = State() with
        {
            VrrpRoutes = [new DesiredRoute(Route, "VI_1", Present: false), new DesiredRoute(Route with { Destination = Prefix("10.20.0.0/16") }, "VI_1", Present: true)],
            VrrpRules = [new DesiredRule(Rule, "VI_1", Present: false)],
        };

        var plan = Reconciler.PlanNow(desired);

        Assert.Empty(plan.Plan.Steps);
        Assert.Single(desired.MissingVrrpRoutes(Reconciler.ReadLive()));
        Assert.Contains("route 10.20.0.0/16 via 10.0.0.254 dev eth0 src 10.0.0.5 table 100 (VRRP VI_1: present, MASTER)", PlanTextRenderer.Render(plan.Plan, false, desired), StringComparison.Ordinal);
    }

    [Fact]
    public void Matching_NullIsTheKernelsChoice_AndTheMarkMaskDefaultsToAllBits()
    {
        var read = Route with { Metric = 0, Scope = RouteScope.Universe };
        Assert.True(RouteMatching.Satisfies(Route with { Interface = null, Source = null }, read));
        Assert.False(RouteMatching.Satisfies(Route with { Metric = 5 }, read));
        Assert.False(RouteMatching.Satisfies(Route with { OnLink = true }, read));

        var marked = Rule with { FirewallMark = 5 };
        Assert.True(RouteMatching.Satisfies(marked with { Priority = null }, new ObservedRule(marked.Family, marked with { FirewallMask = uint.MaxValue }, false)));
        Assert.False(RouteMatching.Satisfies(marked, new ObservedRule(System.Net.Sockets.AddressFamily.InterNetworkV6, marked, false)));
    }

    [Fact]
    public void Render_RouteAndRuleSteps_ReadAsIpWritesThem()
    {
        Assert.Equal("route 10.10.0.0/16 via 10.0.0.254 dev eth0 src 10.0.0.5 table 100", new RouteStep(StepAction.Create, Route, [], false, null).Target);
        Assert.Equal("rule 100: from 10.0.0.5/32 fwmark 0x5/0xff iif eth1 lookup 100",
            new RuleStep(StepAction.Create, Rule with { FirewallMark = 5, FirewallMask = 0xff, InputInterface = "eth1" }, false, null).Target);
        Assert.Equal("route blackhole default metric 7", new RouteStep(StepAction.Create, new IpRoute(Prefix("0.0.0.0/0"), RouteType.Blackhole, null, null, null, null, 7, null, false), [], false, null).Target);
    }

    private static InterfaceAddress Prefix(string text) => InterfaceAddress.TryParse(text, out var prefix) ? prefix : throw new ArgumentException(text);
}
