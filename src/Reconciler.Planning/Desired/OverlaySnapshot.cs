using System.Net;
using Reconciler.Topology.Model;

namespace Reconciler.Planning.Desired;

/// <summary>
/// The runtime inputs of a node's desired state as data: the VRRP roles, every health result that differs from the
/// configuration, and the drain timeout. A running agent serves its own (<c>GET /overlay</c>), so
/// <c>reconciler plan</c> on a director plans with exactly what the agent plans with.
/// </summary>
public sealed record OverlaySnapshot(
    string Node,
    IReadOnlyDictionary<string, VrrpRole> Roles,
    IReadOnlyList<ServiceHealthEntry> Services,
    TimeSpan DrainTimeout)
{
    /// <summary>What <paramref name="overlay"/> says of <paramref name="topology"/> now: only what differs from the
    /// configuration is listed (a healthy node's snapshot is its roles).</summary>
    public static OverlaySnapshot Capture(TopologyModel topology, string node, RuntimeOverlay overlay, TimeSpan drainTimeout)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(overlay);
        var services = new List<ServiceHealthEntry>();
        foreach (var service in topology.Services)
        {
            var health = overlay.Health.GetService(service.Name);
            List<RealServerHealthEntry>? servers = null;
            foreach (var server in service.RealServers)
            {
                var serverHealth = overlay.Health.Get(service.Name, server.Address, server.Port);
                if (serverHealth != RealServerHealth.Configured)
                {
                    (servers ??= []).Add(new RealServerHealthEntry(server.Address, server.Port, serverHealth));
                }
            }

            if (health != ServiceHealth.Normal || servers is not null)
            {
                services.Add(new ServiceHealthEntry(service.Name, health, servers ?? []));
            }
        }

        return new OverlaySnapshot(node, new Dictionary<string, VrrpRole>(overlay.VrrpRoles, StringComparer.Ordinal), services, drainTimeout);
    }

    /// <summary>The overlay this snapshot describes, for <see cref="DesiredStateBuilder.Build"/>.</summary>
    public RuntimeOverlay ToOverlay() => new(Roles, new SnapshotHealth(Services));

    private sealed class SnapshotHealth : IHealthOverlay
    {
        private readonly Dictionary<string, ServiceHealth> _services = new(StringComparer.Ordinal);
        private readonly Dictionary<(string, IPAddress, int), RealServerHealth> _servers = [];

        public SnapshotHealth(IReadOnlyList<ServiceHealthEntry> entries)
        {
            foreach (var entry in entries)
            {
                _services[entry.Name] = entry.Health;
                foreach (var server in entry.RealServers)
                {
                    _servers[(entry.Name, server.Address, server.Port)] = server.Health;
                }
            }
        }

        public RealServerHealth Get(string service, IPAddress address, int port) =>
            _servers.GetValueOrDefault((service, address, port)) ?? RealServerHealth.Configured;

        public ServiceHealth GetService(string service) => _services.GetValueOrDefault(service) ?? ServiceHealth.Normal;
    }
}

/// <summary>A service whose health differs from its configuration, with those of its real servers that do.</summary>
public sealed record ServiceHealthEntry(string Name, ServiceHealth Health, IReadOnlyList<RealServerHealthEntry> RealServers);

/// <summary>A real server whose runtime state differs from its configuration.</summary>
public sealed record RealServerHealthEntry(IPAddress Address, int Port, RealServerHealth Health);
