using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Reconciler.Agent.Engine;
using Reconciler.Planning.Desired;
using Reconciler.Topology.Model;

namespace Reconciler.Agent.RealServer;

/// <summary>
/// The real-server side of LVS-DR on a node that is itself a real server of a DR service (the seed's directors
/// are): the director forwards frames addressed to the VIP unchanged, so this node must accept the VIP as local
/// without ever answering ARP for it while it is not MASTER. The classic recipe, done from the topology instead of
/// by hand: the VIP as a host address on <c>lo</c>, and <c>arp_ignore=1</c> (answer only for addresses on the
/// receiving interface) with <c>arp_announce=2</c> (never source ARP from an address of another interface).
/// </summary>
public static class DirectRoutingRealServer
{
    public const string LoopbackInterface = "lo";

    /// <summary>The VIPs this node must hold on lo, as desired addresses the planner adds, keeps and (through the
    /// ownership record) removes once the topology no longer makes this node a DR real server of them.</summary>
    public static IReadOnlyList<DesiredAddress> LoopbackAddresses(TopologyModel topology, string node)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var own = topology.Nodes.FirstOrDefault(n => n.Name == node)?.Addresses;
        if (own is null || own.Count == 0)
        {
            return [];
        }

        var addresses = new List<DesiredAddress>();
        var seen = new HashSet<IPAddress>();
        foreach (var service in topology.Services)
        {
            if (service.Forwarding != Forwarding.DirectRouting || service.Address is not { } vip || !service.RealServers.Any(r => own.Contains(r.Address)))
            {
                continue;
            }

            if (seen.Add(vip))
            {
                var owner = topology.VrrpInstances.FirstOrDefault(i => i.VirtualAddresses.Any(a => a.Address.Equals(vip)))?.Name ?? service.Name;
                var hostLength = vip.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
                addresses.Add(new DesiredAddress(LoopbackInterface, new InterfaceAddress(vip, hostLength), owner, Present: true));
            }
        }

        return addresses;
    }
}

/// <summary>
/// Sets <c>net.ipv4.conf.all.arp_ignore=1</c> and <c>arp_announce=2</c> while the node holds DR VIPs on lo, and
/// puts back the values it found once it holds none. The values found are kept in the state folder, so a restart
/// in between still restores the operator's originals.
/// </summary>
public sealed class ArpSysctlGuard(ISysctl sysctl, string stateDirectory)
{
    public static readonly IReadOnlyDictionary<string, string> Wanted = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["net.ipv4.conf.all.arp_ignore"] = "1",
        ["net.ipv4.conf.all.arp_announce"] = "2",
    };

    private string SavedPath => Path.Combine(stateDirectory, "arp-sysctl.json");

    /// <summary>Makes the sysctls match <paramref name="needed"/>; returns what changed (for the log).</summary>
    public IReadOnlyList<string> Apply(bool needed)
    {
        var saved = LoadSaved();
        var target = needed ? Wanted : saved;
        if (target is null)
        {
            return [];
        }

        if (needed && saved is null)
        {
            // Remember the operator's values before the first write: a crash in between still restores them.
            Save(Wanted.Keys.ToDictionary(name => name, sysctl.Read, StringComparer.Ordinal));
        }

        var changes = new List<string>();
        foreach (var (name, value) in target)
        {
            var current = sysctl.Read(name);
            if (current != value)
            {
                sysctl.Write(name, value);
                changes.Add($"{name} {current} -> {value}");
            }
        }

        if (!needed)
        {
            File.Delete(SavedPath);
        }

        return changes;
    }

    private Dictionary<string, string>? LoadSaved()
    {
        if (!File.Exists(SavedPath))
        {
            return null;
        }

        return JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(SavedPath)) ?? [];
    }

    private void Save(Dictionary<string, string> originals)
    {
        Directory.CreateDirectory(stateDirectory);
        var temporary = SavedPath + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(originals));
        File.Move(temporary, SavedPath, overwrite: true);
    }
}
