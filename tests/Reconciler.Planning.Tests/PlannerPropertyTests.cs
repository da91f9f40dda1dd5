using System.Net;
using System.Net.Sockets;
using FsCheck;
using FsCheck.Fluent;
using Reconciler.Ipvs;
using Reconciler.Planning.Desired;
using Reconciler.Planning.Execution;
using Reconciler.Planning.Observed;
using Reconciler.Planning.Ownership;
using Reconciler.Planning.Plans;
using Reconciler.Planning.Tests.Fakes;
using static Reconciler.Planning.Tests.Samples;

namespace Reconciler.Planning.Tests;

/// <summary>
/// Properties of the planner over random desired states, kernels and ownership records drawn from small pools
/// (so that overlaps, drift and foreign objects are common). FsCheck draws the seed; a failure prints it.
/// </summary>
public sealed class PlannerPropertyTests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(400);

    private static readonly ServiceKey[] Keys =
    [
        Tcp("10.1.0.1", 80), Tcp("10.1.0.1", 443), Tcp("10.1.0.2", 80), Udp("10.1.0.53", 53),
        ServiceKey.ForFirewallMark(AddressFamily.InterNetwork, 7), Tcp("2001:db8::1", 80),
    ];

    private static readonly string[] Servers = ["10.2.0.1", "10.2.0.2", "10.2.0.3", "10.2.0.4"];

    private static readonly string[] ServersV6 = ["2001:db8::a", "2001:db8::b", "2001:db8::c"];

    [Fact]
    public void Apply_AnyStates_KernelEndsExactlyAsDesiredAndUnownedUntouched() =>
        Check.One(Runs, Prop.ForAll(Arb.From(Scenarios()), scenario =>
        {
            var fake = new FakeIpvsClient();
            fake.Seed(scenario.Observed.Services);
            var plan = Planner.Create(scenario.Desired, scenario.Observed, scenario.Record, ImmediateRemoval);

            var result = new PlanExecutor(fake, NoNodeAddresses.Instance).Execute(plan);

            Assert.True(result.AllSucceeded, string.Join("; ", result.Steps.Where(s => !s.Succeeded).Select(s => s.Error)));
            var after = fake.GetAll().ToDictionary(s => s.Service.Key);
            foreach (var wanted in scenario.Desired.Services)
            {
                var live = after[wanted.Service.Key];
                Assert.Equal(wanted.Service, live.Service);
                Assert.Equal(Sorted(wanted.Destinations.Select(d => d.Destination)), Sorted(live.Destinations.Select(d => d.Destination)));
            }

            foreach (var before in scenario.Observed.Services.Where(s => scenario.Desired.Find(s.Service.Key) is null))
            {
                var owned = scenario.Record.Find(before.Service.Key) is not null;
                Assert.Equal(!owned, after.ContainsKey(before.Service.Key));
                if (!owned)
                {
                    Assert.Equal(Sorted(before.Destinations.Select(d => d.Destination)), Sorted(after[before.Service.Key].Destinations.Select(d => d.Destination)));
                }
            }

            Assert.Equal(scenario.Desired.Services.Count + scenario.Observed.Services.Count(s => scenario.Desired.Find(s.Service.Key) is null && scenario.Record.Find(s.Service.Key) is null), after.Count);
        }));

    [Fact]
    public void Plan_AnyStates_SizeIsTheMinimalDelta() =>
        Check.One(Runs, Prop.ForAll(Arb.From(Scenarios()), scenario =>
        {
            var plan = Planner.Create(scenario.Desired, scenario.Observed, scenario.Record, ImmediateRemoval);

            Assert.Equal(MinimalDelta(scenario), plan.Steps.Count);
            Assert.Equal(plan.Steps.Count, plan.Steps.Select(StepObject).Distinct().Count());
        }));

    [Fact]
    public void Plan_AnyStates_TouchesOnlyOwnedObjects() =>
        Check.One(Runs, Prop.ForAll(Arb.From(Scenarios()), scenario =>
        {
            var plan = Planner.Create(scenario.Desired, scenario.Observed, scenario.Record, ImmediateRemoval);

            foreach (var key in plan.Steps.Select(KeyOf))
            {
                Assert.True(scenario.Desired.Find(key) is not null || scenario.Record.Find(key) is not null, $"{key} is not owned");
            }

            var unowned = scenario.Observed.Services.Select(s => s.Service.Key)
                .Where(k => scenario.Desired.Find(k) is null && scenario.Record.Find(k) is null);
            Assert.Equal(unowned.ToHashSet(), plan.Unmanaged.Select(u => u.Key).ToHashSet());
        }));

    [Fact]
    public void Plan_DesiredAgainstItself_IsEmpty() =>
        Check.One(Runs, Prop.ForAll(Arb.From(Scenarios()), scenario =>
        {
            var plan = Planner.Create(scenario.Desired, ObservedFrom(scenario.Desired), scenario.Record, ImmediateRemoval);

            Assert.Empty(plan.Steps);
        }));

    [Fact]
    public void Reconcile_Twice_SecondFindsNothingToDo() =>
        Check.One(Runs, Prop.ForAll(Arb.From(Scenarios()), scenario =>
        {
            var fake = new FakeIpvsClient();
            fake.Seed(scenario.Observed.Services);
            var store = new MemoryOwnershipStore { Record = scenario.Record };
            var reconciler = new NodeReconciler(fake, NoNodeAddresses.Instance, store, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now));
            var live = reconciler.ReadLive();
            reconciler.Apply(scenario.Desired, live, reconciler.Plan(scenario.Desired, live, TimeSpan.Zero));

            var again = reconciler.Plan(scenario.Desired, reconciler.ReadLive(), TimeSpan.Zero);

            Assert.Empty(again.Steps);
            Assert.Equal(scenario.Desired.Services.Select(s => s.Service.Key).ToHashSet(), store.Record.Services.Select(s => s.Settings.Key).ToHashSet());
        }));

    [Fact]
    public void Apply_WithDrainTimeout_LeavingTcpServersWithConnectionsStayAtWeightZero() =>
        Check.One(Runs, Prop.ForAll(Arb.From(Scenarios()), scenario =>
        {
            var fake = new FakeIpvsClient();
            fake.Seed(scenario.Observed.Services);
            var plan = Planner.Create(scenario.Desired, scenario.Observed, scenario.Record, PlannerOptions.At(Now));

            new PlanExecutor(fake, NoNodeAddresses.Instance).Execute(plan);

            var after = fake.GetAll().ToDictionary(s => s.Service.Key);
            foreach (var wanted in scenario.Desired.Services)
            {
                var extra = after[wanted.Service.Key].Destinations.Where(d => wanted.Find(d.Destination.Address, d.Destination.Port) is null).ToList();
                foreach (var leaving in extra)
                {
                    Assert.Equal(0, leaving.Destination.Weight);
                    Assert.True(leaving.ActiveConnections + leaving.InactiveConnections > 0);
                    Assert.NotEqual(IpvsProtocol.Udp, wanted.Service.Key.Protocol);
                }
            }
        }));

    private static PlannerOptions ImmediateRemoval => new(Now, TimeSpan.Zero);

    /// <summary>
    /// The least number of kernel operations that turn what is observed into what is desired, from the two states
    /// alone (not from the planner's rules): each object is a key with attributes, a service by its key, a real server
    /// by its service and endpoint. Every desired key the kernel lacks is one create; every key on both sides whose
    /// attributes differ is one update; every managed key the kernel has that is not desired is one delete (a
    /// service's real servers are objects of their own, so removing a service with two real servers is three
    /// operations). Managed: a service desired or in the ownership record, and every real server of one; anything
    /// else in the kernel is someone else's and costs nothing. (With no drain time, nothing is kept draining.)
    /// </summary>
    private static int MinimalDelta(Scenario s)
    {
        var desiredServices = s.Desired.Services.ToDictionary(d => d.Service.Key, d => d.Service);
        var observedServices = s.Observed.Services.ToDictionary(o => o.Service.Key, o => o.Service);
        var managedServices = observedServices.Keys.Where(k => desiredServices.ContainsKey(k) || s.Record.Find(k) is not null).ToHashSet();

        var desiredServers = s.Desired.Services
            .SelectMany(d => d.Destinations.Select(r => (Key: (d.Service.Key, Endpoint: (r.Destination.Address, r.Destination.Port)), r.Destination)))
            .ToDictionary(x => x.Key, x => x.Destination);
        var observedServers = s.Observed.Services
            .Where(o => managedServices.Contains(o.Service.Key))
            .SelectMany(o => o.Destinations.Select(r => (Key: (o.Service.Key, Endpoint: (r.Destination.Address, r.Destination.Port)), r.Destination)))
            .ToDictionary(x => x.Key, x => x.Destination);

        return Differences(desiredServices, observedServices.Where(o => managedServices.Contains(o.Key)).ToDictionary())
            + Differences(desiredServers, observedServers);
    }

    /// <summary>Creates + updates + deletes between two keyed sets: keys only wanted, keys on both sides with other attributes, keys only held.</summary>
    private static int Differences<TKey, TAttributes>(IReadOnlyDictionary<TKey, TAttributes> desired, IReadOnlyDictionary<TKey, TAttributes> observed)
        where TKey : notnull
    {
        var creates = desired.Keys.Except(observed.Keys).Count();
        var updates = desired.Keys.Intersect(observed.Keys).Count(k => !Equals(desired[k], observed[k]));
        var deletes = observed.Keys.Except(desired.Keys).Count();
        return creates + updates + deletes;
    }

    private static ServiceKey KeyOf(PlanStep step) => step switch
    {
        ServiceStep s => s.Key,
        DestinationStep d => d.Service,
        _ => throw new InvalidOperationException(),
    };

    private static string StepObject(PlanStep step) => step switch
    {
        ServiceStep s => $"S {s.Key}",
        DestinationStep d => $"D {d.Service} {d.Settings.Endpoint}",
        _ => step.Target,
    };

    private static List<string> Sorted(IEnumerable<IpvsDestination> destinations) =>
        destinations.Select(d => d.ToString()).Order(StringComparer.Ordinal).ToList();

    public sealed record Scenario(int Seed, DesiredState Desired, ObservedState Observed, OwnershipRecord Record)
    {
        public override string ToString() => $"seed {Seed}";
    }

    private static Gen<Scenario> Scenarios() => Gen.Choose(0, int.MaxValue).Select(Build);

    private static Scenario Build(int seed)
    {
        var random = new Random(seed);
        var desired = new List<DesiredService>();
        var observed = new List<ServiceWithDestinations>();
        var owned = new List<OwnedService>();
        foreach (var key in Keys)
        {
            var wanted = random.Next(3) > 0 ? RandomService(random, key) : null;
            if (wanted is not null)
            {
                var servers = RandomDestinations(random, key);
                desired.Add(new DesiredService($"svc{desired.Count}", wanted, servers.Select(d => new DesiredDestination(d)).ToList(), []));
            }

            ServiceWithDestinations? live = null;
            if (random.Next(3) > 0)
            {
                var settings = wanted is not null && random.Next(2) == 0 ? wanted : RandomService(random, key);
                var wantedServers = desired.LastOrDefault(d => d.Service.Key == key)?.Destinations.Select(d => d.Destination).ToList() ?? [];
                var liveServers = RandomDestinations(random, key)
                    .Select(d => wantedServers.FirstOrDefault(w => w.Address.Equals(d.Address)) is { } w && random.Next(2) == 0 ? w : d)
                    .Select(d => new DestinationEntry(d, random.Next(3) == 0 ? (uint)random.Next(1, 50) : 0u, (uint)random.Next(0, 2), 0, IpvsStats.Zero))
                    .ToList();
                live = new ServiceWithDestinations(new ServiceEntry(settings, IpvsStats.Zero), liveServers);
                observed.Add(live);
            }

            if ((wanted is not null || live is not null) && random.Next(2) == 0)
            {
                var basis = live?.Service ?? wanted!;
                var destinations = (live?.Destinations.Select(d => d.Destination) ?? []).Where(_ => random.Next(3) > 0).Select(d => new OwnedDestination(d)).ToList();
                owned.Add(new OwnedService(random.Next(4) == 0 ? RandomService(random, key) : basis, destinations));
            }
        }

        return new Scenario(seed, new DesiredState("lb1", desired, []), new ObservedState(observed, []), new OwnershipRecord(owned, []));
    }

    private static IpvsService RandomService(Random random, ServiceKey key)
    {
        var persistence = random.Next(3) == 0 ? 50u : 0u;
        return Service(key, random.Next(2) == 0 ? "rr" : "wrr", persistence);
    }

    private static List<IpvsDestination> RandomDestinations(Random random, ServiceKey key)
    {
        var pool = key.Family == AddressFamily.InterNetworkV6 ? ServersV6 : Servers;
        return pool.Where(_ => random.Next(2) == 0)
            .Select(address => new IpvsDestination(
                IPAddress.Parse(address),
                key.IsFirewallMark ? (ushort)0 : key.Port,
                random.Next(2) == 0 ? IpvsForwarding.DirectRoute : IpvsForwarding.Masquerade,
                random.Next(3) switch { 0 => 0, 1 => 1, _ => 5 },
                0,
                0))
            .ToList();
    }
}
