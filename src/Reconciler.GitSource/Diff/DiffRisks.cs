using System.Globalization;
using Reconciler.Topology.Model;

namespace Reconciler.GitSource.Diff;

public enum RiskKind
{
    /// <summary>A virtual address moves to another VRRP instance (and so, usually, to another node).</summary>
    VipMoved,

    /// <summary>A virtual address no VRRP instance carries any more.</summary>
    VipRemoved,

    /// <summary>Another node becomes an instance's preferred MASTER: with preemption its addresses move at once.</summary>
    MasterChanged,

    /// <summary>A virtual service (protocol, address and port, or firewall mark) is no longer served.</summary>
    ServiceRemoved,

    /// <summary>A service that had a real server in service keeps none (all removed or at weight 0).</summary>
    ServiceEmptied,

    /// <summary>More real servers than the limit leave service at once.</summary>
    ServersLeaving,
}

/// <summary>One thing a reviewer should look at twice, said in a sentence.</summary>
public sealed record DiffRisk(RiskKind Kind, string Message);

/// <summary>
/// What in a diff can cut traffic, found from the two topologies (pure). A real server "leaves service" when it is
/// removed from its service (the agent drains it: weight 0, deleted when its connections end), when its weight goes
/// to 0, or when its service goes; servers already at weight 0 do not count. Services are matched by endpoint, so a
/// renamed service is no risk and a service whose address changes is (its old address stops answering).
/// </summary>
public static class DiffRisks
{
    /// <summary>The default limit of real servers leaving service at once before the diff calls it out: a routine
    /// change (a server or two out for maintenance, one swapped for another) passes quietly; four or more is a
    /// change of capacity that deserves a second look.</summary>
    public const int DefaultServerLimit = 3;

    /// <summary>How many leaving real servers a risk line names before it says how many more.</summary>
    private const int NamedServers = 10;

    public static IReadOnlyList<DiffRisk> Find(TopologyDiff diff, int serverLimit = DefaultServerLimit)
    {
        ArgumentNullException.ThrowIfNull(diff);
        ArgumentOutOfRangeException.ThrowIfNegative(serverLimit);
        if (!diff.NewIsValid)
        {
            return [];
        }

        var old = diff.OldTopology ?? TopologyModel.Empty;
        var @new = diff.NewTopology ?? TopologyModel.Empty;
        var risks = new List<DiffRisk>();
        foreach (var move in diff.VipMoves)
        {
            var from = Master(old, old.FindVrrpInstance(move.From));
            var to = Master(@new, @new.FindVrrpInstance(move.To));
            var nodes = from is null || to is null ? "" : from == to ? $" (both MASTER on {to})" : $" (MASTER {from} -> MASTER {to})";
            risks.Add(new DiffRisk(RiskKind.VipMoved, $"VIP {move.Address} moves from VRRP instance {move.From} to {move.To}{nodes}"));
        }

        if (diff.OldTopology is null || diff.NewTopology is null)
        {
            // A diff made by hand carries no topologies: the moves are all it can say.
            return risks;
        }

        var carried = @new.VrrpInstances.SelectMany(v => v.VirtualAddresses).Select(a => a.ToString()).ToHashSet(StringComparer.Ordinal);
        foreach (var instance in old.VrrpInstances)
        {
            foreach (var address in instance.VirtualAddresses.Select(a => a.ToString()).Where(a => !carried.Contains(a)))
            {
                var gone = @new.FindVrrpInstance(instance.Name) is null ? $" (VRRP instance {instance.Name} is removed)" : $" (was on VRRP instance {instance.Name})";
                risks.Add(new DiffRisk(RiskKind.VipRemoved, $"VIP {address} is removed{gone}"));
            }
        }

        foreach (var instance in @new.VrrpInstances.Where(v => v.Preempt))
        {
            var before = old.FindVrrpInstance(instance.Name);
            var from = before is null ? null : Master(old, before);
            var to = Master(@new, instance);
            if (from is not null && to is not null && from != to && instance.VirtualAddresses.Count > 0)
            {
                risks.Add(new DiffRisk(
                    RiskKind.MasterChanged,
                    $"VRRP instance {instance.Name} gets a new preferred MASTER, {from} -> {to}: its VIPs [{string.Join(", ", instance.VirtualAddresses)}] move to {to}"));
            }
        }

        var after = @new.Services.GroupBy(s => s.Endpoint).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var leaving = new List<string>();
        foreach (var service in old.Services)
        {
            var serving = service.RealServers.Where(r => r.Weight > 0).ToList();
            if (!after.TryGetValue(service.Endpoint, out var kept))
            {
                risks.Add(new DiffRisk(RiskKind.ServiceRemoved, $"service {service.Name} ({service.Endpoint}) is removed with its {Plural(service.RealServers.Count, "real server")}"));
                leaving.AddRange(serving.Select(r => $"{service.Name} {r.Endpoint}"));
                continue;
            }

            var weights = kept.RealServers.GroupBy(r => r.Endpoint).ToDictionary(g => g.Key, g => g.First().Weight, StringComparer.Ordinal);
            var gone = serving.Where(r => weights.GetValueOrDefault(r.Endpoint) == 0).ToList();
            leaving.AddRange(gone.Select(r => $"{kept.Name} {r.Endpoint}"));
            if (serving.Count > 0 && kept.RealServers.All(r => r.Weight == 0))
            {
                risks.Add(new DiffRisk(RiskKind.ServiceEmptied, $"service {kept.Name} ({kept.Endpoint}) keeps no real server in service (all removed or at weight 0)"));
            }
        }

        if (leaving.Count > serverLimit)
        {
            var named = string.Join(", ", leaving.Take(NamedServers)) + (leaving.Count > NamedServers ? $" and {leaving.Count - NamedServers} more" : "");
            risks.Add(new DiffRisk(
                RiskKind.ServersLeaving,
                string.Create(CultureInfo.InvariantCulture, $"{Plural(leaving.Count, "real server")} {(leaving.Count == 1 ? "leaves" : "leave")} service at once (more than {serverLimit}): {named}")));
        }

        return risks;
    }

    /// <summary>The node that wins an election of <paramref name="instance"/> when all are up: the highest priority
    /// among the topology's nodes; null without one, or on a tie (then the primary addresses decide, at run time).</summary>
    private static string? Master(TopologyModel topology, VrrpInstance? instance)
    {
        if (instance is null)
        {
            return null;
        }

        var ranked = instance.Priorities.Where(p => topology.FindNode(p.Key) is not null).OrderByDescending(p => p.Value).ToList();
        return ranked.Count == 0 || (ranked.Count > 1 && ranked[0].Value == ranked[1].Value) ? null : ranked[0].Key;
    }

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : string.Create(CultureInfo.InvariantCulture, $"{count} {noun}s");
}
