using Reconciler.GitSource.Source;
using Reconciler.Planning.Desired;
using Reconciler.Planning.Plans;
using Reconciler.Topology.Loading;
using Reconciler.Topology.Model;

namespace Reconciler.GitSource.Diff;

/// <summary>
/// Computes a <see cref="TopologyDiff"/>: objects matched by name (services, instances, sync groups, checks, nodes) or endpoint
/// (real servers), compared field by field, then every node's desired state (<see cref="DesiredStateBuilder"/> with
/// <see cref="RuntimeOverlay.None"/>, plus its VRRP participation). Pure: no root, no kernel, no network.
/// </summary>
public static class TopologyDiffer
{
    /// <summary>Diffs two revisions of the repository at <paramref name="repositoryPath"/> (work tree or bare).</summary>
    public static TopologyDiff CompareRevisions(string repositoryPath, string oldRevision, string newRevision, string? path, TopologyLoaderOptions? options = null)
    {
        using var repository = GitTopologyReader.OpenRepository(repositoryPath);
        return CompareRevisions(repository, oldRevision, newRevision, path, options);
    }

    internal static TopologyDiff CompareRevisions(LibGit2Sharp.Repository repository, string oldRevision, string newRevision, string? path, TopologyLoaderOptions? options)
    {
        var oldCommit = GitTopologyReader.ResolveCommit(repository, oldRevision);
        var newCommit = GitTopologyReader.ResolveCommit(repository, newRevision);
        var oldDocuments = GitTopologyReader.ReadDocuments(oldCommit, path, options);
        var newDocuments = GitTopologyReader.ReadDocuments(newCommit, path, options);

        // Loading (parse, schema, rules) is most of a diff's time and touches no git: the two revisions load side by side.
        var oldLoad = Task.Run(() => GitTopologyReader.Load(oldDocuments, options));
        var newResult = GitTopologyReader.Load(newDocuments, options);
        return Compare(oldCommit.Sha[..12], oldLoad.GetAwaiter().GetResult(), newCommit.Sha[..12], newResult);
    }

    public static TopologyDiff Compare(string oldRevision, TopologyLoadResult oldResult, string newRevision, TopologyLoadResult newResult)
    {
        ArgumentNullException.ThrowIfNull(oldResult);
        ArgumentNullException.ThrowIfNull(newResult);
        if (!newResult.IsValid)
        {
            return new TopologyDiff(oldRevision, newRevision, oldResult.IsValid, false, newResult.Diagnostics, [], [], []);
        }

        var old = oldResult.IsValid ? oldResult.Topology! : TopologyModel.Empty;
        return Compare(oldRevision, old, newRevision, newResult.Topology!) with
        {
            OldIsValid = oldResult.IsValid,
            NewDiagnostics = newResult.Diagnostics,
        };
    }

    public static TopologyDiff Compare(string oldRevision, TopologyModel old, string newRevision, TopologyModel @new)
    {
        ArgumentNullException.ThrowIfNull(old);
        ArgumentNullException.ThrowIfNull(@new);
        var entries = new List<DiffEntry>();
        entries.AddRange(Match(old.Nodes, @new.Nodes, n => n.Name, (a, b, action) =>
            Entry("node", a?.Name ?? b!.Name, null, action, a, b, NetworkChildren(action, a?.Network, b?.Network), nameof(Node.Network))));
        entries.AddRange(Match(old.Checks, @new.Checks, c => c.Name, (a, b, action) => Entry("check", a?.Name ?? b!.Name, null, action, a, b)));
        entries.AddRange(Match(old.VrrpInstances, @new.VrrpInstances, v => v.Name, (a, b, action) =>
            Entry("vrrpInstance", a?.Name ?? b!.Name, null, action, a, b, RoutingChildren(action, a?.VirtualRoutes, a?.VirtualRules, b?.VirtualRoutes, b?.VirtualRules), nameof(VrrpInstance.VirtualRoutes), nameof(VrrpInstance.VirtualRules))));
        entries.AddRange(Match(old.SyncGroups, @new.SyncGroups, g => g.Name, (a, b, action) =>
            Entry("vrrpSyncGroup", (a ?? b)!.Name, action == DiffAction.Changed ? null : string.Join(", ", (a ?? b)!.Instances), action, a, b)));
        entries.AddRange(Match(old.Services, @new.Services, s => s.Name, ServiceEntry));
        entries.AddRange(Match(OneOrNone(old.Mail), OneOrNone(@new.Mail), _ => "mail", (a, b, action) =>
            Entry("mail", "to " + string.Join(", ", (b ?? a)!.To), action == DiffAction.Changed ? null : $"via {(b ?? a)!.ServerText}", action, a, b)));
        var nodes = old.Nodes.Select(n => n.Name).Concat(@new.Nodes.Select(n => n.Name)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(name => new NodeDiff(name, NodeChanges(old, @new, name)))
            .ToList();
        return new TopologyDiff(oldRevision, newRevision, true, true, [], entries, VipMoves(old, @new), nodes) { NewTopology = @new, OldTopology = old };
    }

    private static T[] OneOrNone<T>(T? item)
        where T : class => item is null ? [] : [item];

    private static IEnumerable<DiffEntry> Match<T>(IEnumerable<T> old, IEnumerable<T> @new, Func<T, string> key, Func<T?, T?, DiffAction, DiffEntry?> entry)
        where T : class
    {
        var before = old.GroupBy(key).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var after = @new.GroupBy(key).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var name in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            var a = before.GetValueOrDefault(name);
            var b = after.GetValueOrDefault(name);
            var action = a is null ? DiffAction.Added : b is null ? DiffAction.Removed : DiffAction.Changed;
            if (action == DiffAction.Changed && Equals(a, b))
            {
                continue;
            }

            if (entry(a, b, action) is { } result)
            {
                yield return result;
            }
        }
    }

    private static DiffEntry? Entry(string kind, string name, string? detail, DiffAction action, object? old, object? @new, params string[] skip)
    {
        var changes = action switch
        {
            DiffAction.Changed => Changes(old, @new, skip),
            _ => [],
        };
        return action == DiffAction.Changed && changes.Count == 0 ? null : new DiffEntry(kind, name, detail, action, changes, []);
    }

    /// <summary>An entry with children: a change with neither changed fields nor children is none.</summary>
    private static DiffEntry? Entry(string kind, string name, string? detail, DiffAction action, object? old, object? @new, List<DiffEntry> children, params string[] skip)
    {
        var changes = action == DiffAction.Changed ? Changes(old, @new, skip) : [];
        return action == DiffAction.Changed && changes.Count == 0 && children.Count == 0 ? null : new DiffEntry(kind, name, detail, action, changes, children);
    }

    /// <summary>A node's static addresses, routes and rules, each added, removed or changed (a removed node's are not
    /// listed: they go with it).</summary>
    private static List<DiffEntry> NetworkChildren(DiffAction action, NodeNetwork? old, NodeNetwork? @new)
    {
        if (action == DiffAction.Removed)
        {
            return [];
        }

        var children = Match(
                old?.Addresses ?? [],
                @new!.Addresses,
                a => $"{a.Address} dev {a.Interface}",
                (a, b, itemAction) => Entry("address", itemAction == DiffAction.Changed ? $"{b!.Address} dev {b.Interface}" : NetworkText.Address((a ?? b)!), null, itemAction, a, b))
            .ToList();
        children.AddRange(RoutingChildren(action, old?.Routes, old?.Rules, @new.Routes, @new.Rules));
        return children;
    }

    /// <summary>Routes matched by the kernel's key (table, destination, metric), rules by their selectors and
    /// preference: an added or removed one is named in full, a changed one by its key with its changed fields.</summary>
    private static List<DiffEntry> RoutingChildren(DiffAction action, ValueList<IpRoute>? oldRoutes, ValueList<IpRule>? oldRules, ValueList<IpRoute>? newRoutes, ValueList<IpRule>? newRules)
    {
        if (action == DiffAction.Removed)
        {
            return [];
        }

        var children = Match(oldRoutes ?? [], newRoutes ?? [], NetworkText.RouteKey, (a, b, itemAction) =>
                Entry("route", itemAction == DiffAction.Changed ? NetworkText.RouteKey(b!) : NetworkText.Route((a ?? b)!), null, itemAction, a, b))
            .ToList();
        children.AddRange(Match(oldRules ?? [], newRules ?? [], NetworkText.RuleSelectors, (a, b, itemAction) =>
            Entry("rule", itemAction == DiffAction.Changed ? NetworkText.RuleSelectors(b!) : NetworkText.Rule((a ?? b)!), null, itemAction, a, b)));
        return children;
    }

    private static DiffEntry? ServiceEntry(VirtualService? old, VirtualService? @new, DiffAction action)
    {
        var service = (@new ?? old)!;
        var servers = Match(
                old?.RealServers ?? [],
                @new?.RealServers ?? [],
                r => r.Endpoint,
                (a, b, serverAction) => Entry("realServer", (a ?? b)!.Endpoint, serverAction == DiffAction.Added ? Summary(@new!, b!) : null, serverAction, a, b))
            .ToList();
        if (action == DiffAction.Removed)
        {
            return new DiffEntry("service", service.Name, $"{service.Endpoint}, {old!.RealServers.Count} real server(s)", action, [], []);
        }

        var changes = action == DiffAction.Changed ? Changes(old, @new, nameof(VirtualService.RealServers)) : [];
        return action == DiffAction.Changed && changes.Count == 0 && servers.Count == 0
            ? null
            : new DiffEntry("service", service.Name, service.Endpoint, action, changes, servers);
    }

    private static string Summary(VirtualService service, RealServer server) =>
        $"weight {server.Weight}, {FieldFlattener.Scalar(service.ForwardingOf(server))}";

    internal static List<FieldChange> Changes(object? old, object? @new, params string[] skip)
    {
        var before = FieldFlattener.Flatten(old, skip);
        var after = FieldFlattener.Flatten(@new, skip);
        var changes = new List<FieldChange>();
        foreach (var field in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            var a = before.GetValueOrDefault(field) ?? "none";
            var b = after.GetValueOrDefault(field) ?? "none";
            if (a != b && !((a == "{}" && HasFieldsOf(after, field)) || (b == "{}" && HasFieldsOf(before, field))))
            {
                changes.Add(FieldFlattener.IsSecret(field) ? new FieldChange(field, "***", "*** (changed)") : new FieldChange(field, a, b));
            }
        }

        return changes;
    }

    /// <summary>Whether a record's fields are listed (<c>connectionSync.port</c>): then its <c>{}</c> on the other side
    /// is said by those fields' changes.</summary>
    private static bool HasFieldsOf(SortedDictionary<string, string> flattened, string record) =>
        flattened.Keys.Any(k => k.StartsWith(record + ".", StringComparison.Ordinal));

    private static List<VipMove> VipMoves(TopologyModel old, TopologyModel @new)
    {
        static Dictionary<string, string> Owners(TopologyModel topology) => topology.VrrpInstances
            .SelectMany(v => v.VirtualAddresses.Select(a => (Address: a.ToString(), v.Name)))
            .GroupBy(p => p.Address)
            .ToDictionary(g => g.Key, g => g.First().Name, StringComparer.Ordinal);
        var before = Owners(old);
        var after = Owners(@new);
        return before
            .Where(p => after.TryGetValue(p.Key, out var owner) && owner != p.Value)
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new VipMove(p.Key, p.Value, after[p.Key]))
            .ToList();
    }

    /// <summary>What the node would hold: IPVS services (topology-only overlay) and its VRRP participation.</summary>
    private static List<DiffEntry> NodeChanges(TopologyModel old, TopologyModel @new, string node)
    {
        var before = old.FindNode(node) is null ? DesiredState.Empty(node) : DesiredStateBuilder.Build(old, node, RuntimeOverlay.None);
        var after = @new.FindNode(node) is null ? DesiredState.Empty(node) : DesiredStateBuilder.Build(@new, node, RuntimeOverlay.None);
        var changes = new List<DiffEntry>();
        changes.AddRange(Match(before.Services, after.Services, s => s.Service.Key.ToString(), (a, b, action) =>
        {
            var service = (b ?? a)!;
            var destinations = Match(
                    a?.Destinations ?? [],
                    b?.Destinations ?? [],
                    d => d.Destination.Endpoint,
                    (x, y, destinationAction) => Entry(
                        "destination",
                        (y ?? x)!.Destination.Endpoint,
                        destinationAction == DiffAction.Added ? $"weight {y!.Destination.Weight}" : null,
                        destinationAction,
                        x?.Destination,
                        y?.Destination,
                        "Address",
                        "Port"))
                .ToList();
            if (action == DiffAction.Removed)
            {
                return new DiffEntry("ipvsService", service.Service.Key.ToString(), service.Name, action, [], []);
            }

            var fields = action == DiffAction.Changed ? Changes(a!.Service, b!.Service, "Key") : [];
            if (action == DiffAction.Changed && a!.OnlyIfPresent != b!.OnlyIfPresent)
            {
                fields.Add(new FieldChange("onlyWhileMaster", Flag(a.OnlyIfPresent), Flag(b.OnlyIfPresent)));
            }

            return action == DiffAction.Changed && fields.Count == 0 && destinations.Count == 0
                ? null
                : new DiffEntry("ipvsService", service.Service.Key.ToString(), service.Name, action, fields, destinations);
        }));
        changes.AddRange(Match(Participation(old, node), Participation(@new, node), p => p.Instance, (a, b, action) =>
            Entry("vrrp", (a ?? b)!.Instance, action == DiffAction.Added ? $"priority {b!.Priority}" : null, action, a, b, "Instance")));
        changes.AddRange(Match(Held(old, node), Held(@new, node), h => h.Key, (a, b, action) =>
            Entry(
                (a ?? b)!.Kind,
                (b ?? a)!.Text,
                (a ?? b)!.Instance is { } instance ? $"while MASTER of {instance}" : "static",
                action,
                a?.Item,
                b?.Item)));
        changes.AddRange(Match(before.SyncDaemons, after.SyncDaemons, d => d.Daemon.State.ToString().ToLowerInvariant(), (a, b, action) =>
            Entry("syncDaemon", (a ?? b)!.Daemon.State.ToString().ToLowerInvariant(), action == DiffAction.Added ? $"on {b!.Daemon.MulticastInterface}, sync id {b.Daemon.SyncId} (VRRP {b.Instance})" : null, action, a?.Daemon, b?.Daemon, "State")));
        return changes;
    }

    private static string Flag(bool value) => value ? "true" : "false";

    /// <summary>An address, route or rule a node holds: its own (<paramref name="Instance"/> null) or an instance's
    /// while MASTER of it. <paramref name="Key"/> matches it across revisions, <paramref name="Text"/> names it whole (the new revision's).</summary>
    private sealed record HeldItem(string Kind, string Key, string Text, string? Instance, object Item);

    private static List<HeldItem> Held(TopologyModel topology, string node)
    {
        if (topology.FindNode(node) is not { } found)
        {
            return [];
        }

        var items = new List<HeldItem>();
        items.AddRange(found.Network.Addresses.Select(a => new HeldItem("address", $"{a.Address} dev {a.Interface}", NetworkText.Address(a), null, a)));
        foreach (var instance in topology.VrrpInstances.Where(v => v.Priorities.ContainsKey(node)).Prepend(null))
        {
            var routes = instance?.VirtualRoutes ?? found.Network.Routes;
            var rules = instance?.VirtualRules ?? found.Network.Rules;
            var owner = instance is null ? "" : $"{instance.Name} ";
            items.AddRange(routes.Select(r => new HeldItem("route", owner + NetworkText.RouteKey(r), NetworkText.Route(r), instance?.Name, r)));
            items.AddRange(rules.Select(r => new HeldItem("rule", owner + NetworkText.RuleSelectors(r), NetworkText.Rule(r), instance?.Name, r)));
        }

        return items;
    }

    /// <summary>How a node takes part in an instance; <paramref name="SyncGroup"/> is the group it fails over with.</summary>
    internal sealed record VrrpParticipation(string Instance, string Interface, int Priority, int VirtualRouterId, string VirtualAddresses, string? SyncGroup);

    private static List<VrrpParticipation> Participation(TopologyModel topology, string node) =>
        topology.FindNode(node) is null
            ? []
            : topology.VrrpInstances
                .Where(v => v.Priorities.ContainsKey(node))
                .Select(v => new VrrpParticipation(v.Name, v.InterfaceFor(node), v.Priorities[node], v.VirtualRouterId, "[" + string.Join(", ", v.VirtualAddresses) + "]", topology.SyncGroupOf(v.Name)?.Name))
                .ToList();
}
