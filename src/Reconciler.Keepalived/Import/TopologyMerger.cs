using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Reflection;
using Reconciler.Topology.Diagnostics;
using Reconciler.Topology.Model;
using TopologyModel = Reconciler.Topology.Model.Topology;

namespace Reconciler.Keepalived.Import;

/// <summary>
/// Merges the nodes' configurations into one topology. What the nodes share (vrrp_script, the instance's
/// virtual router id, addresses, timers, tracking; every virtual_server) must be the same in every file that has
/// it: a contradiction is a located error. Per-node settings become maps: <c>priority</c> into the instance's
/// priorities, <c>interface</c> into its interface (the most common one) and per-node overrides,
/// <c>unicast_src_ip</c>/<c>unicast_peer</c> into its unicast peers and the nodes' addresses. A
/// <c>vrrp_sync_group</c> is shared too: every node with one of its members must have it, the same.
/// </summary>
internal sealed partial class TopologyMerger
{
    private readonly ICollection<Diagnostic> _diagnostics;

    private TopologyMerger(ICollection<Diagnostic> diagnostics) => _diagnostics = diagnostics;

    public sealed record NodeInput(string Name, NodeConfig Config, IReadOnlyList<IPAddress> GivenAddresses);

    public static TopologyModel Merge(IReadOnlyList<NodeInput> nodes, ICollection<Diagnostic> diagnostics) =>
        new TopologyMerger(diagnostics).MergeAll(nodes);

    private TopologyModel MergeAll(IReadOnlyList<NodeInput> nodes)
    {
        var checks = MergeChecks(nodes);
        var instances = MergeInstances(nodes, checks);
        var syncGroups = MergeSyncGroups(nodes, checks);
        var services = MergeServices(nodes, instances);
        var topologyNodes = nodes.Select(BuildNode).ToValueList();
        return new TopologyModel(topologyNodes, checks.ToValueList(), instances.ToValueList(), services.ToValueList())
        {
            SyncGroups = syncGroups.ToValueList(),
            Mail = MergeMail(nodes),
        };
    }

    /// <summary>The topology has one mail block: the first node's. A node whose sender or HELO name differs (often its
    /// own host name) leaves them to the agent (<c>reconciler@NODE</c>, <c>NODE</c>); any other difference is
    /// reported where the later node wrote it, and the first node's settings are kept.</summary>
    private MailAlerts? MergeMail(IReadOnlyList<NodeInput> nodes)
    {
        var withMail = nodes.Where(n => n.Config.Mail is not null).ToList();
        if (withMail.Count == 0)
        {
            return null;
        }

        var first = withMail[0];
        var mail = first.Config.Mail!.Value;
        foreach (var node in nodes.Where(n => n != first))
        {
            if (node.Config.Mail is not { } other)
            {
                Warning("contradicting-nodes",
                    $"node {node.Name} mails nothing (no smtp_server or notification_email) but node {first.Name} does ({first.Config.Mail.Location}): the topology's mail block applies to every node",
                    first.Config.Mail.Location);
                continue;
            }

            if (other.Value.From != mail.From || other.Value.HeloName != mail.HeloName)
            {
                mail = mail with { From = null, HeloName = null };
                Warning("contradicting-nodes",
                    $"node {node.Name}'s notification_email_from / smtp_helo_name differ from node {first.Name}'s: each agent sends as reconciler@NODE with HELO NODE instead",
                    other.Location);
            }

            var differences = Differences(mail with { From = null, HeloName = null }, other.Value with { From = null, HeloName = null });
            if (differences.Count > 0)
            {
                Warning("contradicting-nodes",
                    $"node {node.Name}'s mail settings differ from node {first.Name}'s ({first.Config.Mail.Location}) in: {string.Join(", ", differences)}; the topology has one mail block: node {first.Name}'s is kept",
                    other.Location);
            }
        }

        return mail;
    }

    private List<TrackedCheck> MergeChecks(IReadOnlyList<NodeInput> nodes)
    {
        var merged = new List<TrackedCheck>();
        var firstSeen = new Dictionary<string, (Located<TrackedCheck> Script, NodeInput Node)>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            foreach (var script in node.Config.Scripts)
            {
                if (firstSeen.TryGetValue(script.Value.Name, out var first))
                {
                    if (first.Node == node)
                    {
                        Error("duplicate-name", $"vrrp_script {script.Value.Name} is defined twice (first at {first.Script.Location})", script.Location);
                    }
                    else if (!first.Script.Value.Equals(script.Value))
                    {
                        Contradiction($"vrrp_script {script.Value.Name}", node.Name, first.Node.Name, first.Script.Location, Differences(first.Script.Value, script.Value), script.Location);
                    }

                    continue;
                }

                firstSeen.Add(script.Value.Name, (script, node));
                merged.Add(script.Value);
            }
        }

        return merged;
    }

    private List<VrrpInstance> MergeInstances(IReadOnlyList<NodeInput> nodes, List<TrackedCheck> checks)
    {
        var order = new List<string>();
        var byName = new Dictionary<string, List<(NodeInput Node, InstanceConfig Instance)>>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            foreach (var instance in node.Config.Instances)
            {
                if (!byName.TryGetValue(instance.Name, out var list))
                {
                    byName[instance.Name] = list = [];
                    order.Add(instance.Name);
                }

                if (list.Any(e => e.Node == node))
                {
                    Error("duplicate-name", $"vrrp_instance {instance.Name} is defined twice in this node's configuration", instance.Location);
                    continue;
                }

                list.Add((node, instance));
            }
        }

        var result = new List<VrrpInstance>();
        var checkWeights = checks.ToDictionary(c => c.Name, c => c.Weight, StringComparer.Ordinal);

        // A member of a sync group without sync_group_tracking_weight tracks no script with a weight (each node's
        // reader drops those its file defines; these are the ones only another node's file defines).
        var unweighted = nodes.SelectMany(n => n.Config.SyncGroups).Where(g => !g.Group.TrackingWeights)
            .SelectMany(g => g.Group.Instances).ToHashSet(StringComparer.Ordinal);
        foreach (var name in order)
        {
            var members = byName[name];
            bool Keeps(TrackedCheckReference t) =>
                checkWeights.TryGetValue(t.Check, out var weight) && (!unweighted.Contains(name) || (t.Weight ?? weight) == 0);

            var (firstNode, first) = members[0];
            foreach (var (node, instance) in members.Skip(1))
            {
                if (!first.Shared.Equals(instance.Shared))
                {
                    Contradiction($"vrrp_instance {name}", node.Name, firstNode.Name, first.Location, Differences(first.Shared, instance.Shared), instance.Location);
                }
            }

            foreach (var (node, instance) in members)
            {
                WarnOfUnknownChecks($"vrrp_instance {name}", node, instance.TrackScripts, checkWeights.ContainsKey, Keeps);
            }

            var interfaces = members.Where(m => m.Instance.Interface is not null)
                .GroupBy(m => m.Instance.Interface!.Value, StringComparer.Ordinal)
                .OrderByDescending(g => g.Count())
                .ThenBy(g => members.FindIndex(m => m.Instance.Interface?.Value == g.Key))
                .ToList();
            var mainInterface = interfaces.Count > 0 ? interfaces[0].Key : string.Empty;
            var overrides = members
                .Where(m => m.Instance.Interface is not null && m.Instance.Interface.Value != mainInterface)
                .Select(m => KeyValuePair.Create(m.Node.Name, m.Instance.Interface!.Value));
            var priorities = members.Select(m => KeyValuePair.Create(m.Node.Name, m.Instance.Priority));

            CheckInitialStates(name, members);
            var peers = MergeUnicast(name, members);

            var shared = first.Shared;
            result.Add(shared with
            {
                Interface = mainInterface,
                InterfaceOverrides = ValueMap<string>.Create(overrides),
                Priorities = ValueMap<int>.Create(priorities),
                UnicastPeers = peers,
                TrackChecks = shared.TrackChecks.Where(Keeps).ToValueList(),
            });
        }

        return result;
    }

    /// <summary>References to a vrrp_script the node's file does not define: keepalived ignores them. The topology
    /// keeps one another node defines, unless <paramref name="keeps"/> says otherwise (a weight on a sync group's
    /// member).</summary>
    private void WarnOfUnknownChecks(
        string what, NodeInput node, IEnumerable<Located<TrackedCheckReference>> references, Func<string, bool> isDefined, Func<TrackedCheckReference, bool> keeps)
    {
        var defined = node.Config.Scripts.Select(s => s.Value.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var reference in references.Where(r => !defined.Contains(r.Value.Check)))
        {
            var elsewhere = !isDefined(reference.Value.Check) ? ", and so does the import"
                : keeps(reference.Value) ? " (another node defines it; the topology keeps it)"
                : " (another node defines it, with a weight, which a sync group's member without sync_group_tracking_weight cannot have; the import drops it)";
            Warning(
                "unknown-check",
                $"{what} tracks vrrp_script '{reference.Value.Check}', which this file does not define; keepalived ignores the reference{elsewhere}",
                reference.Location);
        }
    }

    /// <summary>
    /// keepalived's <c>state</c> is only the state an instance starts in: the election by priority decides who is
    /// MASTER. The topology keeps the priorities and drops the state; a MASTER state that the priorities would
    /// overrule at once is worth a warning.
    /// </summary>
    private void CheckInitialStates(string name, List<(NodeInput Node, InstanceConfig Instance)> members)
    {
        if (members.Count < 2)
        {
            return;
        }

        foreach (var (node, instance) in members.Where(m => m.Instance.State?.Value == "MASTER"))
        {
            var higherOrEqual = members.Where(m => m.Node != node && m.Instance.Priority >= instance.Priority).Select(m => $"{m.Node.Name} ({m.Instance.Priority})").ToList();
            if (higherOrEqual.Count > 0)
            {
                Warning(
                    "vrrp-state-ignored",
                    $"vrrp_instance {name}: node {node.Name} starts as MASTER with priority {instance.Priority}, but {string.Join(", ", higherOrEqual)} has at least that priority; the election decides, so the topology keeps only the priorities",
                    instance.State!.Location);
            }
        }
    }

    private ValueList<IPAddress> MergeUnicast(string name, List<(NodeInput Node, InstanceConfig Instance)> members)
    {
        var unicast = members.Where(m => m.Instance.UsesUnicast).ToList();
        if (unicast.Count == 0)
        {
            return [];
        }

        foreach (var (node, instance) in members.Where(m => !m.Instance.UsesUnicast))
        {
            Contradiction($"vrrp_instance {name}", node.Name, unicast[0].Node.Name, unicast[0].Instance.Location, ["unicastPeers (this node uses multicast)"], instance.Location);
        }

        var all = new SortedSet<IPAddress>(Comparer<IPAddress>.Create(CompareAddresses));
        foreach (var (_, instance) in unicast)
        {
            if (instance.UnicastSource is { } source)
            {
                all.Add(source);
            }

            foreach (var peer in instance.UnicastPeers)
            {
                all.Add(peer.Value);
            }
        }

        foreach (var (node, instance) in unicast)
        {
            var own = NodeAddresses(node).ToHashSet();
            var known = instance.UnicastPeers.Select(p => p.Value).ToHashSet();
            var missing = all.Where(a => !own.Contains(a) && !known.Contains(a) && !a.Equals(instance.UnicastSource)).ToList();
            if (missing.Count > 0)
            {
                Warning(
                    "unicast-peer-missing",
                    $"vrrp_instance {name} on node {node.Name} does not list {string.Join(", ", missing)} as unicast_peer (another node uses it); the topology sends adverts to every peer",
                    instance.Location);
            }
        }

        return all.ToValueList();
    }

    private List<VirtualService> MergeServices(IReadOnlyList<NodeInput> nodes, List<VrrpInstance> instances)
    {
        var result = new List<VirtualService>();
        var firstSeen = new Dictionary<string, (Located<VirtualService> Service, NodeInput Node, List<string> Nodes)>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            foreach (var service in node.Config.Services)
            {
                var key = service.Value.Name;
                if (firstSeen.TryGetValue(key, out var first))
                {
                    if (first.Node == node)
                    {
                        Error("duplicate-service", $"virtual_server {service.Value.Endpoint} is defined twice (first at {first.Service.Location})", service.Location);
                    }
                    else if (!first.Service.Value.Equals(service.Value))
                    {
                        Contradiction($"virtual_server {service.Value.Endpoint}", node.Name, first.Node.Name, first.Service.Location, Differences(first.Service.Value, service.Value), service.Location);
                    }

                    first.Nodes.Add(node.Name);
                    continue;
                }

                firstSeen.Add(key, (service, node, [node.Name]));
                result.Add(service.Value);
            }
        }

        if (nodes.Count > 1)
        {
            foreach (var (service, _, present) in firstSeen.Values.Where(v => v.Nodes.Count < nodes.Count))
            {
                Warning(
                    "service-not-on-every-node",
                    $"virtual_server {service.Value.Endpoint} is only in the configuration of {string.Join(", ", present)}; the topology has one set of services for every node",
                    service.Location);
            }
        }

        // A service on a VRRP address follows that instance: it exists on the node that is MASTER.
        return result.Select(service =>
        {
            if (service.Address is null)
            {
                return service;
            }

            var owners = instances.Where(i => i.VirtualAddresses.Any(v => v.Address.Equals(service.Address))).ToList();
            return owners.Count == 1 ? service with { VrrpInstance = owners[0].Name } : service;
        }).ToList();
    }

    private static IEnumerable<IPAddress> NodeAddresses(NodeInput node) =>
        node.GivenAddresses.Concat(node.Config.SourceAddresses.Select(a => a.Value)).Distinct();

    private Node BuildNode(NodeInput node)
    {
        var addresses = NodeAddresses(node).ToList();
        foreach (var source in node.Config.SourceAddresses)
        {
            var firstOfFamily = addresses.First(a => a.AddressFamily == source.Value.AddressFamily);
            if (!firstOfFamily.Equals(source.Value))
            {
                Warning(
                    "node-address",
                    $"node {node.Name} sends VRRP from {source.Value} here, but its first {(source.Value.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4")} address, {firstOfFamily}, is its VRRP source in the topology",
                    source.Location);
            }
        }

        var interfaces = node.Config.Instances.SelectMany(i => i.Interfaces)
            .Concat(node.Config.SyncGroups.SelectMany(g => g.Group.TrackInterfaces.Select(t => t.Interface)))
            .Concat(node.Config.NetworkInterfaces)
            .Distinct(StringComparer.Ordinal)
            .ToValueList();
        return new Node(node.Name, addresses.ToValueList(), interfaces)
        {
            Network = new NodeNetwork(node.Config.StaticAddresses.ToValueList(), node.Config.StaticRoutes.ToValueList(), node.Config.StaticRules.ToValueList()),
        };
    }

    private static int CompareAddresses(IPAddress a, IPAddress b)
    {
        var family = a.AddressFamily.CompareTo(b.AddressFamily);
        if (family != 0)
        {
            return family;
        }

        return a.GetAddressBytes().AsSpan().SequenceCompareTo(b.GetAddressBytes());
    }

    /// <summary>The (camelCase) names of the properties in which two records differ.</summary>
    internal static List<string> Differences<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>(T a, T b)
        where T : class
    {
        var names = new List<string>();
        foreach (var property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.Name == "EqualityContract")
            {
                continue;
            }

            if (!Equals(property.GetValue(a), property.GetValue(b)))
            {
                names.Add(char.ToLowerInvariant(property.Name[0]) + property.Name[1..]);
            }
        }

        return names;
    }

    private void Contradiction(string what, string node, string firstNode, SourceLocation firstLocation, IReadOnlyList<string> fields, SourceLocation location) =>
        Error(
            "contradicting-nodes",
            $"{what} on node {node} contradicts node {firstNode} ({firstLocation}) in: {string.Join(", ", fields)}; nodes must agree on what they share",
            location);

    private void Error(string code, string message, SourceLocation location) => _diagnostics.Add(Diagnostic.Error(code, message, location));

    private void Warning(string code, string message, SourceLocation location) => _diagnostics.Add(Diagnostic.Warning(code, message, location));
}
