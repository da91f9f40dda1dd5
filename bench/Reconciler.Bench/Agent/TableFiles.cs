using System.Globalization;
using System.Text;
using Reconciler.Ipvs;

namespace Reconciler.Bench.Agent;

/// <summary>
/// One IPVS table (TCP services, wrr, NAT real servers, as <see cref="Ipvs.IpvsBenchmark.Table"/> builds it) written
/// for each side: a topology for node lb1 (10.0.0.1) and a keepalived.conf with one virtual_server block per service
/// and no checkers (keepalived then takes every real server as up).
/// </summary>
internal static class TableFiles
{
    public static string Topology(IReadOnlyList<ServiceWithDestinations> table)
    {
        var text = new StringBuilder("nodes:\n  - name: lb1\n    addresses: [10.0.0.1]\nservices:\n");
        for (var i = 0; i < table.Count; i++)
        {
            var service = table[i].Service;
            text.Append(CultureInfo.InvariantCulture,
                $"  - {{name: s{i}, address: {service.Key.Address}, port: {service.Key.Port}, scheduler: {service.Scheduler}, forwarding: nat, realServers: [");
            text.AppendJoin(", ", table[i].Destinations.Select(d => string.Create(CultureInfo.InvariantCulture,
                $"{{address: {d.Destination.Address}, port: {d.Destination.Port}, weight: {d.Destination.Weight}}}")));
            text.Append("]}\n");
        }

        return text.ToString();
    }

    public static string Keepalived(IReadOnlyList<ServiceWithDestinations> table)
    {
        var text = new StringBuilder("global_defs {\n    router_id bench\n}\n");
        foreach (var entry in table)
        {
            var service = entry.Service;
            text.Append(CultureInfo.InvariantCulture,
                $"virtual_server {service.Key.Address} {service.Key.Port} {{\n    lb_algo {service.Scheduler}\n    lb_kind NAT\n    protocol TCP\n");
            foreach (var destination in entry.Destinations)
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"    real_server {destination.Destination.Address} {destination.Destination.Port} {{\n        weight {destination.Destination.Weight}\n    }}\n");
            }

            text.Append("}\n");
        }

        return text.ToString();
    }
}
