using System.Net;
using System.Net.Sockets;
using FsCheck;
using FsCheck.Fluent;
using Reconciler.Topology.Model;

namespace Reconciler.Topology.Tests;

/// <summary>
/// Generators of semantically valid topologies: unique names (including ones a YAML writer must quote, like
/// <c>true</c> or <c>1e3</c>), IPv4 and IPv6, services of both kinds, real servers, checks, VRRP instances, and
/// sometimes a sync group (whose members are then made to agree: same priorities, weight 0 unless it allows weights),
/// routes, rules and static addresses on nodes and instances (those a node would hold twice dropped).
/// </summary>
internal static class TopologyGenerators
{
    private static readonly string[] NameStarts = ["lb", "web", "VI_1", "true", "null", "1e3", "0x1F", "yes", "No", "a.b-c_d", "1", "~x", "node"];

    public static Arbitrary<Topology.Model.Topology> Arbitrary() => Arb.From(Topology());

    public static Gen<T?> Maybe<T>(Gen<T> gen)
        where T : class =>
        Gen.Frequency((1, Gen.Constant<T?>(null)), (2, gen.Select(x => (T?)x)));

    public static Gen<int?> MaybeInt(Gen<int> gen) =>
        Gen.Frequency((1, Gen.Constant<int?>(null)), (2, gen.Select(x => (int?)x)));

    public static Gen<string[]> UniqueNames(int min, int max) =>
        from count in Gen.Choose(min, max)
        from names in Gen.ArrayOf(Name(), count * 2)
        let unique = names.Distinct(StringComparer.Ordinal).Take(count).ToArray()
        select unique;

    public static Gen<string> Name() =>
        from start in Gen.Elements(NameStarts.Where(n => char.IsAsciiLetterOrDigit(n[0])).ToArray())
        from suffix in Gen.Elements("", "", "1", "-2", ".x", "_b", "9")
        select start + suffix;

    /// <summary>Text with the characters YAML cares about: quotes, colons, hashes, spaces, newlines, tabs, non-ASCII.</summary>
    public static Gen<string> Text(int minLength = 1, int maxLength = 12) =>
        from length in Gen.Choose(minLength, maxLength)
        from chars in Gen.ArrayOf(Gen.Elements("abcXYZ019 :#'\"\\/-_.,[]{}&*!|>%@`\t\néü€".ToCharArray()), length)
        select new string(chars);

    public static Gen<string> Path() => Gen.Elements("/usr/local/bin/check", "/bin/true", "check nginx", "/opt/a b/c", "C:\\x", "-v", "--flag=1");

    public static Gen<ValueList<string>> Command() =>
        from head in Path()
        from args in Gen.ArrayOf(Gen.OneOf(Path(), Text()))
        select (new[] { head }.Concat(args.Take(3))).ToValueList();

    public static Gen<IPAddress> Ipv4() =>
        Gen.ArrayOf(Gen.Choose(0, 255), 4).Select(b => new IPAddress(b.Select(x => (byte)x).ToArray()));

    public static Gen<IPAddress> Ipv6() =>
        Gen.ArrayOf(Gen.Choose(0, 255), 16).Select(b => new IPAddress(b.Select(x => (byte)x).ToArray()));

    public static Gen<IPAddress> Address(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? Ipv6() : Ipv4();

    public static Gen<AddressFamily> Family() => Gen.Elements(AddressFamily.InterNetwork, AddressFamily.InterNetworkV6);

    public static Gen<TimeSpan> Milliseconds(int min, int max) => Gen.Choose(min, max).Select(ms => TimeSpan.FromMilliseconds(ms));

    public static Gen<TimeSpan> Seconds(int min, int max) => Gen.Choose(min, max).Select(s => TimeSpan.FromSeconds(s));

    public static Gen<TimeSpan> Duration(int minMs, int maxMs) => Gen.OneOf(Milliseconds(minMs, maxMs), Seconds(Math.Max(0, minMs / 1000) + 1, Math.Max(1, maxMs / 1000) + 1));

    public static Gen<Topology.Model.Topology> Topology() =>
        from nodes in Nodes()
        from checks in Checks()
        from generated in Instances(nodes, checks)
        from grouped in SyncGroup(generated, checks)
        from services in Services(grouped.Instances)
        from mail in Maybe(Mail())
        from trackFile in FileCheck(TrackFileName)
        let tracked = UsesFileCheck(services) ? checks.Append(trackFile) : checks
        select WithoutDuplicateRoutes(new Topology.Model.Topology(nodes.ToValueList(), tracked.ToValueList(), grouped.Instances.Select(i => i with { Notify = MailOnlyWith(mail, i.Notify) }).ToValueList(), services.ToValueList())
        {
            SyncGroups = grouped.Groups.Select(g => g with { Notify = MailOnlyWith(mail, g.Notify) }).ToValueList(),
            Mail = mail,
        });

    /// <summary>The tracked file every generated <c>type: file</c> health check reads (added to the checks when one does;
    /// no generated name starts with "track", so it never clashes).</summary>
    private const string TrackFileName = "track-file";

    private static bool UsesFileCheck(IEnumerable<VirtualService> services) =>
        services.Any(s => s.HealthCheck?.Kind == HealthCheckKind.File || s.RealServers.Any(r => r.HealthCheck?.Kind == HealthCheckKind.File));

    private static Gen<MailAlerts> Mail() =>
        from server in Gen.Elements("relay.example.test", "127.0.0.1", "::1", "smtp")
        from port in Gen.Elements(25, 2525, 587)
        from sender in Maybe(Gen.Elements("lb@example.test", "keepalived@lb1"))
        from to in Gen.Choose(1, 3).Select(n => new[] { "ops@example.test", "oncall@example.test", "a@b" }.Take(n).ToValueList())
        from helo in Maybe(Gen.Elements("lb1.example.test", "lb"))
        from timeout in Gen.OneOf(Gen.Constant(MailAlerts.DefaultConnectTimeout), Seconds(1, 120))
        from vrrp in Gen.Elements(true, false)
        from checkers in Gen.Elements(true, false)
        select new MailAlerts(server, port, sender, to, helo, timeout, vrrp, checkers);

    /// <summary>A notify block asks for mail only when the topology has a mail block (the rule refuses it otherwise).</summary>
    private static VrrpNotify? MailOnlyWith(MailAlerts? mail, VrrpNotify? notify) =>
        mail is null && notify is { Mail: true } ? notify with { Mail = false } : notify;

    private static Gen<Node[]> Nodes() =>
        from names in UniqueNames(1, 4)
        from nodes in Gen.CollectToArray(names, Node)
        select nodes;

    private static Gen<Node> Node(string name) =>
        from addresses in Gen.ArrayOf(Gen.OneOf(Ipv4(), Ipv6()))
        from interfaces in Gen.Elements<string[]>([], ["eth0"], ["eth0", "eth1"], ["bond0", "eth0"])
        from network in Gen.Frequency((2, Gen.Constant(NodeNetwork.Empty)), (1, Network()))
        select new Node(name, addresses.Take(3).ToValueList(), interfaces.ToValueList()) { Network = network };

    /// <summary>A node's static addresses (on eth0, the interface every generated node with interfaces has), routes
    /// and rules (never tracked).</summary>
    private static Gen<NodeNetwork> Network() =>
        from addresses in Gen.ArrayOf(StaticAddress(), 2)
        from routes in Gen.ArrayOf(Route(tracked: false), 3)
        from rules in Gen.ArrayOf(Rule(tracked: false), 3)
        select new NodeNetwork(addresses.DistinctBy(a => a.Address.Address).ToValueList(), routes.ToValueList(), rules.ToValueList());

    private static Gen<StaticAddress> StaticAddress() =>
        from family in Family()
        from address in VirtualAddress(family)
        from label in family == AddressFamily.InterNetwork ? Gen.Elements<string?>(null, "eth0", "eth0:1", "eth0:x y") : Gen.Constant<string?>(null)
        select new StaticAddress("eth0", address, label);

    /// <summary>A route the rules pass: gateway and source of the destination's family, a unicast route with a
    /// gateway or eth0, the other types with neither; destinations that YAML writes as <c>default</c> too.</summary>
    public static Gen<IpRoute> Route(bool tracked) =>
        from family in Family()
        from destination in Gen.Frequency((1, Gen.Constant(new InterfaceAddress(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0))), (4, Network(family)))
        from type in Gen.Frequency((3, Gen.Constant(RouteType.Unicast)), (1, Gen.Elements(RouteType.Blackhole, RouteType.Unreachable, RouteType.Prohibit, RouteType.Throw)))
        from via in type == RouteType.Unicast ? Maybe(Address(family)) : Gen.Constant<IPAddress?>(null)
        from dev in type != RouteType.Unicast ? Gen.Constant<string?>(null) : via is null ? Gen.Constant<string?>("eth0") : Gen.Elements<string?>(null, "eth0")
        from source in Maybe(Address(family))
        from table in Gen.Elements<uint?>(null, 100, IpRoute.MainTable, uint.MaxValue)
        from metric in Gen.Elements<uint?>(null, 0, 5, 1024)
        from scope in Gen.Elements<RouteScope?>(null, RouteScope.Universe, RouteScope.Site, RouteScope.Link, RouteScope.Host)
        from onLink in Gen.Elements(false, via is not null)
        from track in tracked ? Gen.Elements(true, false) : Gen.Constant(true)
        select new IpRoute(destination, type, via, dev, source, table, metric, scope, onLink, track);

    /// <summary>A rule the rules pass: selectors of one family, each action with its own field, goto forward.</summary>
    public static Gen<IpRule> Rule(bool tracked) =>
        from family in Family()
        from source in Maybe(Network(family))
        from destination in Maybe(Network(family))
        from priority in Gen.Choose(0, 40000).Select(p => (uint)p)
        from withPriority in Gen.Elements(true, false)
        from action in Gen.Elements(Enum.GetValues<RuleAction>())
        from table in Gen.Elements<uint>(1, 100, 254, uint.MaxValue)
        from jump in Gen.Choose(1, 1000).Select(j => (uint)j)
        from mark in Gen.Elements<uint?>(null, 0, 0x10, uint.MaxValue)
        from mask in mark is null ? Gen.Constant<uint?>(null) : Gen.Elements<uint?>(null, 0xff, 0)
        from iif in Gen.Elements<string?>(null, "eth0")
        from oif in Gen.Elements<string?>(null, "eth0")
        from track in tracked ? Gen.Elements(true, false) : Gen.Constant(true)
        select new IpRule(
            source,
            destination,
            action == RuleAction.Goto || withPriority ? priority : null,
            action,
            action == RuleAction.Table ? table : null,
            action == RuleAction.Goto ? priority + jump : null,
            mark,
            mask,
            iif,
            oif,
            track);

    /// <summary>A prefix with its bits past the length cleared.</summary>
    private static Gen<InterfaceAddress> Network(AddressFamily family) =>
        from address in VirtualAddress(family)
        select new InterfaceAddress(NetworkText.Network(address), address.PrefixLength);

    /// <summary>Drops the routes and rules (and static addresses) the duplicate rules would refuse on some node: a
    /// later one with the key of an earlier one the same node holds, and static addresses that are virtual ones.</summary>
    private static Topology.Model.Topology WithoutDuplicateRoutes(Topology.Model.Topology topology)
    {
        var routeKeys = topology.Nodes.ToDictionary(n => n.Name, _ => new HashSet<(InterfaceAddress, uint, uint?)>());
        var ruleKeys = topology.Nodes.ToDictionary(n => n.Name, _ => new HashSet<IpRule>());
        static (InterfaceAddress, uint, uint?) Key(IpRoute r) => (r.Destination, r.TableOrMain, r.Metric ?? (r.Destination.Family == AddressFamily.InterNetworkV6 ? 1024u : 0u));
        bool Take<TKey>(Dictionary<string, HashSet<TKey>> keys, IEnumerable<string> nodes, TKey key)
        {
            var on = nodes.Where(keys.ContainsKey).ToList();
            if (on.Any(n => keys[n].Contains(key)))
            {
                return false;
            }

            on.ForEach(n => keys[n].Add(key));
            return true;
        }

        var nodes = topology.Nodes.Select(n => n with
        {
            Network = n.Network with
            {
                Addresses = n.Network.Addresses.Where(a => !topology.VrrpInstances.Any(v => v.Priorities.ContainsKey(n.Name) && v.VirtualAddresses.Any(vip => vip.Address.Equals(a.Address.Address)))).ToValueList(),
                Routes = n.Network.Routes.Where(r => Take(routeKeys, [n.Name], Key(r))).ToValueList(),
                Rules = n.Network.Rules.Where(r => Take(ruleKeys, [n.Name], r with { Track = true })).ToValueList(),
            },
        }).ToValueList();
        var instances = topology.VrrpInstances.Select(v => v with
        {
            VirtualRoutes = v.VirtualRoutes.Where(r => Take(routeKeys, v.Priorities.Keys, Key(r))).ToValueList(),
            VirtualRules = v.VirtualRules.Where(r => Take(ruleKeys, v.Priorities.Keys, r with { Track = true })).ToValueList(),
        }).ToValueList();
        return topology with { Nodes = nodes, VrrpInstances = instances };
    }

    private static Gen<TrackedCheck[]> Checks() =>
        from names in UniqueNames(0, 3)
        from checks in Gen.CollectToArray(names, name => Gen.Frequency((3, Check(name)), (1, FileCheck(name))))
        select checks;

    /// <summary>A tracked file (keepalived's track_file): no command, the script settings at their defaults.</summary>
    private static Gen<TrackedCheck> FileCheck(string name) =>
        from weight in Gen.Choose(-254, 254)
        from reverse in Gen.Elements(false, true)
        from init in Maybe(from value in Gen.Choose(-254, 254) from overwrite in Gen.Elements(false, true) select new TrackedFileInit(value, overwrite))
        select new TrackedCheck(name, [], TopologyDefaults.CheckInterval, TopologyDefaults.CheckTimeout(TopologyDefaults.CheckInterval),
            TopologyDefaults.CheckRise, TopologyDefaults.CheckFall, weight)
        {
            File = new TrackedFile("/run/reconciler/" + name, reverse, init),
        };

    private static Gen<TrackedCheck> Check(string name) =>
        from command in Command()
        from interval in Duration(1, 60_000)
        from timeout in Gen.OneOf(Gen.Constant(interval), Duration(1, 60_000))
        from rise in Gen.Choose(1, 10)
        from fall in Gen.Choose(1, 10)
        from weight in Gen.Choose(-253, 253)
        select new TrackedCheck(name, command, interval, timeout, rise, fall, weight);

    private static Gen<VrrpInstance[]> Instances(Node[] nodes, TrackedCheck[] checks) =>
        from names in UniqueNames(0, 3)
        from vrids in Gen.Shuffle(Enumerable.Range(1, 255).ToArray())
        from instances in Gen.CollectToArray(names.Select((n, i) => (Name: n, Vrid: vrids[i])), x => Instance(x.Name, x.Vrid, nodes, checks))
        select instances;

    private static Gen<VrrpInstance> Instance(string name, int vrid, Node[] nodes, TrackedCheck[] checks) =>
        from family in Family()
        from version in family == AddressFamily.InterNetworkV6 ? Gen.Constant(3) : Gen.Elements(2, 3)
        from advert in version == 2 ? Seconds(1, 255) : Gen.Choose(1, 4095).Select(cs => TimeSpan.FromMilliseconds(cs * 10))
        from members in Gen.SubListOf(nodes).Where(l => l.Count > 0)
        from priorities in Gen.CollectToArray(members, n => Gen.Choose(1, 255).Select(p => new KeyValuePair<string, int>(n.Name, p)))
        from overrides in Gen.SubListOf(members.Where(n => n.Interfaces.Count > 1).ToArray())
        from preempt in Gen.Elements(true, false)
        from preemptDelay in Gen.OneOf(Gen.Constant(TimeSpan.Zero), Seconds(0, 1000), Milliseconds(0, 999_999))
        from auth in version == 2 ? Maybe(Authentication()) : Gen.Constant<VrrpAuthentication?>(null)
        from vips in Gen.ArrayOf(VirtualAddress(family), 3)
        from vipCount in Gen.Choose(1, 3)
        from peers in Gen.ArrayOf(Address(family), 2)
        from peerCount in Gen.Choose(0, 2)
        from tracked in Gen.SubListOf(checks)
        from trackWeights in Gen.ArrayOf(MaybeInt(Gen.Choose(-253, 253)), tracked.Count)
        from trackInterfaces in Gen.ArrayOf(Gen.Elements("eth0", "eth1", "bond0").SelectMany(i => Gen.Choose(-253, 253).Select(w => new TrackedInterface(i, w))))
        from notify in Maybe(Notify())
        from garp in Gen.Frequency((3, Gen.Constant(GratuitousArp.Default)), (1, Garp()))
        from routes in Gen.Frequency((2, Gen.Constant(Array.Empty<IpRoute>())), (1, Gen.ArrayOf(Route(tracked: true), 3)))
        from rules in Gen.Frequency((2, Gen.Constant(Array.Empty<IpRule>())), (1, Gen.ArrayOf(Rule(tracked: true), 3)))
        from vmac in Gen.Frequency((3, Gen.Constant<VirtualMac?>(null)), (1, Gen.Elements(true, false).Select(b => (VirtualMac?)new VirtualMac(VirtualMac.DefaultName(vrid), b))))
        from labelled in Gen.Elements(true, false)
        let labels = labelled && family == AddressFamily.InterNetwork
            ? ValueMap<string>.Create([new KeyValuePair<string, string>(vips[0].Address.ToString(), (vmac?.Name ?? "eth0") + ":v")])
            : ValueMap<string>.Empty
        select new VrrpInstance(
            name,
            "eth0",
            ValueMap<string>.Create(overrides.Select(n => new KeyValuePair<string, string>(n.Name, n.Interfaces[0]))),
            vrid,
            version,
            advert,
            ValueMap<int>.Create(priorities),
            preempt,
            preemptDelay,
            auth,
            vips.Take(vipCount).ToValueList(),
            peers.Take(peerCount).ToValueList(),
            tracked.Select((c, i) => new TrackedCheckReference(c.Name, trackWeights[i])).ToValueList(),
            trackInterfaces.Take(2).ToValueList(),
            notify,
            garp)
        {
            VirtualRoutes = routes.ToValueList(),
            VirtualRules = rules.ToValueList(),
            Vmac = vmac,
            VirtualAddressLabels = labels,
        };

    private static readonly string[] TrackableInterfaces = ["eth0", "eth1", "bond0"];

    /// <summary>No group, or one of two or more of the instances. The members are changed to pass the group's rules:
    /// each takes the first member's priorities (same nodes, same address owners) and, unless the group allows
    /// weights, tracks with weight 0; the group tracks only what no member does.</summary>
    private static Gen<(VrrpInstance[] Instances, VrrpSyncGroup[] Groups)> SyncGroup(VrrpInstance[] instances, TrackedCheck[] checks) =>
        instances.Length < 2
            ? Gen.Constant((instances, Array.Empty<VrrpSyncGroup>()))
            : Gen.Frequency(
                (1, Gen.Constant((instances, Array.Empty<VrrpSyncGroup>()))),
                (2, from members in Gen.Shuffle(instances).SelectMany(s => Gen.Choose(2, s.Length).Select(n => s.Take(n).ToArray()))
                    from name in Name()
                    from weights in Gen.Elements(true, false)
                    from notify in Maybe(Notify())
                    let adjusted = instances.Select(i => members.Any(m => m.Name == i.Name) ? Member(i, members[0], weights) : i).ToArray()
                    let tracked = adjusted.Where(i => members.Any(m => m.Name == i.Name)).ToArray()
                    from groupChecks in Gen.SubListOf(checks.Where(c => !tracked.Any(i => i.TrackChecks.Any(t => t.Check == c.Name))).ToArray())
                    from checkWeights in Gen.ArrayOf(weights ? MaybeInt(Gen.Choose(-253, 253)) : Gen.Constant<int?>(0), groupChecks.Count)
                    from groupInterfaces in Gen.SubListOf(TrackableInterfaces.Where(f => !tracked.Any(i => i.TrackInterfaces.Any(t => t.Interface == f))).ToArray())
                    from interfaceWeights in Gen.ArrayOf(weights ? Gen.Choose(-253, 253) : Gen.Constant(0), groupInterfaces.Count)
                    select (adjusted, new[]
                    {
                        new VrrpSyncGroup(
                            name,
                            members.Select(m => m.Name).ToValueList(),
                            groupChecks.Select((c, k) => new TrackedCheckReference(c.Name, checkWeights[k])).ToValueList(),
                            groupInterfaces.Select((f, k) => new TrackedInterface(f, interfaceWeights[k])).ToValueList(),
                            notify,
                            weights),
                    })));

    private static VrrpInstance Member(VrrpInstance instance, VrrpInstance first, bool weights) => instance with
    {
        Priorities = first.Priorities,
        InterfaceOverrides = ValueMap<string>.Create(instance.InterfaceOverrides.Where(o => first.Priorities.ContainsKey(o.Key))),
        TrackChecks = weights ? instance.TrackChecks : instance.TrackChecks.Select(t => t with { Weight = 0 }).ToValueList(),
        TrackInterfaces = weights ? instance.TrackInterfaces : instance.TrackInterfaces.Select(t => t with { Weight = 0 }).ToValueList(),
    };

    private static Gen<InterfaceAddress> VirtualAddress(AddressFamily family) =>
        from address in Address(family)
        from prefix in Gen.Choose(0, InterfaceAddress.FullPrefix(family))
        from full in Gen.Elements(true, false)
        select new InterfaceAddress(address, full ? InterfaceAddress.FullPrefix(family) : prefix);

    private static Gen<VrrpAuthentication> Authentication() => Gen.OneOf(
        Text(1, 8).Select(p => new VrrpAuthentication(p, null)),
        Path().Select(f => new VrrpAuthentication(null, f)));

    private static Gen<VrrpNotify> Notify() =>
        from master in Maybe(Path())
        from backup in Maybe(Path())
        from fault in Maybe(Text())
        from stop in Maybe(Path())
        from any in Maybe(Path())
        from webhook in Maybe(Gen.Elements("http://127.0.0.1:9000/vrrp", "https://hooks.example/a?b=c#d", "http://[::1]:8080/").Select(u => new Uri(u)))
        from mail in Gen.Elements<bool?>(null, true, false)
        select new VrrpNotify(master, backup, fault, stop, any, webhook) { Mail = mail };

    private static Gen<GratuitousArp> Garp() =>
        from count in Gen.Choose(0, 20)
        from delay in Duration(0, 20_000)
        from repeat in Gen.Choose(0, 20)
        select new GratuitousArp(count, delay, repeat);

    private static Gen<VirtualService[]> Services(VrrpInstance[] instances) =>
        from names in UniqueNames(0, 4)
        from services in Gen.CollectToArray(names.Select((n, i) => (Name: n, Index: i)), x => Service(x.Name, x.Index, instances))
        select services;

    private static readonly string[] Schedulers = ["rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "mh", "twos"];

    private static Gen<VirtualService> Service(string name, int index, VrrpInstance[] instances) =>
        from family in Family()
        from byMark in Gen.Elements(true, false)
        from address in Address(family)
        from protocol in Gen.Elements(Protocol.Tcp, Protocol.Udp, Protocol.Sctp)
        from scheduler in Gen.Elements(Schedulers)
        from flags in Gen.SubListOf(FlagsFor(scheduler))
        from forwarding in Gen.Elements(Forwarding.Nat, Forwarding.DirectRouting, Forwarding.Tunnel)
        from tunnel in forwarding == Forwarding.Tunnel ? Maybe(Tunnel()) : Gen.Constant<TunnelSettings?>(null)
        from persistence in Maybe(Persistence(family))
        from onePacket in Gen.Elements(true, false)
        from sorry in Maybe(Address(family).SelectMany(a => Gen.Choose(0, 65535).SelectMany(p => Gen.Elements<Forwarding?>(null, Forwarding.Nat, Forwarding.DirectRouting).Select(f => new SorryServer(a, p, f)))))
        from quorum in Maybe(Gen.Choose(1, 1000).SelectMany(m => Gen.Choose(0, 100).Select(h => new Quorum(m, h))))
        from inhibit in Gen.Elements(true, false)
        from instance in instances.Length == 0 ? Gen.Constant<string?>(null) : Gen.Elements(instances.Select(i => (string?)i.Name).Append(null).ToArray())
        from check in Maybe(HealthCheck(family, withBind: false))
        let port = 1000 + index
        from servers in RealServers(family, byMark ? null : port, forwarding)
        select new VirtualService(
            name,
            byMark ? null : address,
            byMark ? null : port,
            byMark ? Protocol.Tcp : protocol,
            byMark ? (uint)(index + 1) : null,
            family,
            scheduler,
            flags.ToValueList(),
            forwarding,
            tunnel,
            persistence,
            onePacket,
            sorry,
            quorum,
            inhibit,
            instance,
            check,
            servers);

    private static string[] FlagsFor(string scheduler) => scheduler switch
    {
        "sh" => ["sh-port", "sh-fallback", "flag-3"],
        "mh" => ["mh-port", "mh-fallback", "flag-3"],
        _ => ["flag-1", "flag-2", "flag-3"],
    };

    private static Gen<TunnelSettings> Tunnel() =>
        from type in Gen.Elements(TunnelType.Ipip, TunnelType.Gue, TunnelType.Gre)
        from port in Gen.Choose(1, 65535)
        from checksum in Gen.Elements(true, false)
        from remote in Gen.Elements(true, false)
        select new TunnelSettings(type, type == TunnelType.Gue ? port : null, checksum, remote);

    private static Gen<Persistence> Persistence(AddressFamily family) =>
        from timeout in Seconds(1, 100_000)
        from prefix in MaybeInt(Gen.Choose(0, InterfaceAddress.FullPrefix(family)))
        from engine in Gen.Elements<string?>(null, "sip")
        select new Persistence(timeout, prefix, engine);

    private static Gen<ValueList<RealServer>> RealServers(AddressFamily family, int? servicePort, Forwarding forwarding) =>
        from count in Gen.Choose(0, 4)
        from servers in Gen.ArrayOf(RealServer(family, servicePort, forwarding), count)
        select servers.DistinctBy(s => s.Endpoint).ToValueList();

    private static Gen<RealServer> RealServer(AddressFamily family, int? servicePort, Forwarding serviceForwarding) =>
        from own in Gen.Elements<Forwarding?>(null, null, Forwarding.Nat, Forwarding.DirectRouting, Forwarding.Tunnel)
        let forwarding = own ?? serviceForwarding
        from serverFamily in forwarding == Forwarding.Tunnel ? Family() : Gen.Constant(family)
        from address in Address(serverFamily)
        from natPort in Gen.Choose(0, 65535)
        let port = servicePort is { } p && forwarding != Forwarding.Nat ? p : natPort
        from weight in Gen.Choose(0, 65535)
        from upper in Gen.Choose(0, 1000)
        from lower in Gen.Choose(0, 1000)
        from check in Maybe(HealthCheck(serverFamily))
        select new RealServer(address, port, weight, (uint)upper, upper == 0 ? 0 : (uint)Math.Min(lower, upper), own, check);

    private static Gen<HealthCheck> HealthCheck(AddressFamily family, bool withBind = true) =>
        from kind in Gen.Elements(Enum.GetValues<HealthCheckKind>())
        from interval in Duration(1, 120_000)
        from connect in Duration(1, 30_000)
        from retries in Gen.Frequency((1, Gen.Constant(TopologyDefaults.Retries(kind))), (3, Gen.Choose(0, 10)))
        from delay in Gen.Frequency((1, Gen.Constant(TopologyDefaults.DelayBeforeRetry(kind, interval))), (3, Duration(0, 10_000)))
        from rise in Gen.Choose(1, 10)
        from fall in Gen.Choose(1, 10)
        from warmup in Duration(0, 60_000)
        from port in kind == HealthCheckKind.Ping ? Gen.Constant<int?>(null) : MaybeInt(Gen.Choose(0, 65535))
        from bind in withBind ? Maybe(Address(family)) : Gen.Constant<IPAddress?>(null)
        from http in Http()
        from exec in Exec(interval)
        from udp in Maybe(Udp())
        from dns in Maybe(Dns())
        from smtp in Maybe(Gen.Elements("smtpchecker.keepalived.org", "lb1.example.com", "[192.168.1.104]", "true", "1e3", "#x", "a:b").Select(n => new SmtpCheck(n)))
        from slow in Maybe(Duration(0, 600_000).Select(d => new SlowStart(d)))
        from file in from weight in MaybeInt(Gen.Choose(-100_000, 100_000)) from reverse in Gen.Elements(false, true)
                     select new FileCheck(TrackFileName, weight == 0 ? null : weight, weight is not null && weight != 0 && reverse)
        select new HealthCheck(
            kind, interval, connect, retries, delay, rise, fall, warmup, port, bind,
            kind is HealthCheckKind.Http or HealthCheckKind.Https ? http : null,
            kind == HealthCheckKind.Exec ? exec : null,
            slow)
        {
            Udp = kind == HealthCheckKind.Udp ? udp : null,
            Dns = kind == HealthCheckKind.Dns ? dns : null,
            Smtp = kind == HealthCheckKind.Smtp ? smtp : null,
            File = kind == HealthCheckKind.File ? file : null,
        };

    /// <summary>UDP_CHECK settings a check can pass with: the lengths and the pattern only with a reply required
    /// (else they would only warn), hex strings a YAML writer must quote (<c>1e3</c>, <c>0 1</c>).</summary>
    private static Gen<UdpCheck> Udp() =>
        from payload in Gen.Elements<string?>(null, "ab 12 0f", "Ab12f 3 456", "1e3", "00", "0 1")
        from requireReply in Gen.Elements(true, false)
        from pattern in Gen.Elements<string?>(null, "ab xx", "XX", "1e3", "x")
        from min in Gen.Choose(0, 300)
        from max in Gen.Choose(0, 65527)
        select requireReply
            ? new UdpCheck(payload, true, pattern, Math.Min(min, max), max)
            : new UdpCheck(payload, false, null, TopologyDefaults.Udp.MinReplyLength, TopologyDefaults.Udp.MaxReplyLength);

    private static Gen<DnsCheck> Dns() =>
        from type in Gen.Elements(DnsQuery.Types.Select(t => t.Key).ToArray())
        from lower in Gen.Elements(true, false)
        from name in Gen.Elements(".", "example.com", "www.example.com.", "1e3", "null", "_sip._udp.example.org")
        select new DnsCheck(lower ? type.ToLowerInvariant() : type, name);

    private static Gen<HttpCheck> Http() => Gen.Frequency(
        (1, Gen.Constant(TopologyDefaults.Http)),
        (2, from path in Gen.Elements("/", "/health", "/a b?c=d#e", "/ü")
            from statuses in Gen.ArrayOf(Gen.Choose(100, 599), 3)
            from count in Gen.Choose(1, 3)
            from digest in Gen.Elements<string?>(null, "d41d8cd98f00b204e9800998ecf8427e")
            from host in Maybe(Gen.Elements("example.org", "a:b", "1.2.3.4"))
            from verify in Gen.Elements(true, false)
            from more in Gen.Frequency((2, Gen.Constant(0)), (1, Gen.Choose(1, 3)))
            from urls in Gen.ArrayOf(MoreUrl(host), more)
            select new HttpCheck(path, statuses.Take(count).ToValueList(), digest, host, verify)
            {
                // Numbered paths: no url repeats another (a repeat warns).
                MoreUrls = urls.Select((url, i) => url with { Path = $"{url.Path}{i}" }).ToValueList(),
            }));

    /// <summary>A further url; its host is the check's (written by leaving it out) or one of its own.</summary>
    private static Gen<HttpUrl> MoreUrl(string? checkHost) =>
        from path in Gen.Elements("/ready", "/a b?c=d#e", "/ü/")
        from statuses in Gen.Frequency((1, Gen.Constant(TopologyDefaults.HttpExpectedStatus)), (2, Gen.ArrayOf(Gen.Choose(100, 599), 2).Select(s => s.Distinct().ToValueList())))
        from digest in Gen.Elements<string?>(null, "0123456789abcdef0123456789ABCDEF")
        from host in Gen.Elements(checkHost, "other.example", "[::1]:8080")
        select new HttpUrl(path, statuses, digest, host);

    private static Gen<ExecCheck> Exec(TimeSpan interval) =>
        from command in Command()
        from timeout in Gen.OneOf(Gen.Constant(interval), Duration(1, 60_000))
        from dynamic in Gen.Elements(true, false)
        select new ExecCheck(command, timeout, dynamic);
}
