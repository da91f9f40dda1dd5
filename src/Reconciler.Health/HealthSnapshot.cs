using System.Collections.Immutable;
using System.Net;
using Reconciler.Planning.Desired;

namespace Reconciler.Health;

public enum RealServerState
{
    /// <summary>No check: always present at its configured weight.</summary>
    Unchecked,
    Up,
    Down,
}

/// <summary>A real server's address and port, as the overlay is asked for it.</summary>
public readonly record struct RealServerEndpoint(IPAddress Address, int Port);

/// <summary>One real server of one service as the checker sees it.</summary>
/// <param name="Overlay">What the planner gets.</param>
/// <param name="Detail">The last probe detail that decided something; null before any.</param>
/// <param name="Since">When the state last changed; null while it is the initial one.</param>
public sealed record RealServerStatus(
    IPAddress Address,
    int Port,
    RealServerState State,
    RealServerHealth Overlay,
    int ConfiguredWeight,
    string? Detail,
    DateTimeOffset? Since);

/// <summary>
/// One service: its service-level health and its checked real servers in topology order. A real server without a
/// check is not listed (it reads as configured: present at its weight), only counted in <see cref="Unchecked"/>: at
/// 10,000 x 10 unchecked real servers, listing them was two thirds of the agent's managed heap. Immutable.
/// </summary>
public sealed class ServiceStatus
{
    /// <summary>Shared by every service without a checked real server (never written to).</summary>
    private static readonly Dictionary<RealServerEndpoint, RealServerStatus> NoneChecked = [];

    private readonly Dictionary<RealServerEndpoint, RealServerStatus> _byEndpoint;

    public ServiceStatus(string name, ServiceHealth health, IReadOnlyList<RealServerStatus> realServers, long liveWeight, int liveCount, int uncheckedCount)
    {
        Name = name;
        Health = health;
        RealServers = realServers;
        LiveWeight = liveWeight;
        LiveCount = liveCount;
        Unchecked = uncheckedCount;
        _byEndpoint = realServers.Count == 0 ? NoneChecked : new Dictionary<RealServerEndpoint, RealServerStatus>(realServers.Count);
        foreach (var server in realServers)
        {
            _byEndpoint[new RealServerEndpoint(server.Address, server.Port)] = server;
            switch (server.State)
            {
                case RealServerState.Up:
                    Up++;
                    break;
                case RealServerState.Down:
                    Down++;
                    break;
                default:
                    Unchecked++; // not listed by the monitor, which counts them instead
                    break;
            }
        }
    }

    public string Name { get; }

    public ServiceHealth Health { get; }

    public IReadOnlyList<RealServerStatus> RealServers { get; }

    /// <summary>Sum of the target weights of live (up or unchecked) real servers, as quorum counts it.</summary>
    public long LiveWeight { get; }

    public int LiveCount { get; }

    public int Up { get; }

    public int Down { get; }

    public int Unchecked { get; }

    public RealServerStatus? Find(IPAddress address, int port) =>
        _byEndpoint.TryGetValue(new RealServerEndpoint(address, port), out var status) ? status : null;
}

/// <summary>
/// The health overlay at one moment: immutable, swapped whole by <see cref="HealthMonitor"/> (YARP's
/// <c>ClusterState</c> habit), so the planner reads one consistent view. Making the next one costs only the
/// service that changed (services are shared between snapshots). Anything it does not know (a service or server
/// it does not check) reads as configured.
/// </summary>
public sealed class HealthSnapshot : IHealthOverlay
{
    private readonly ImmutableDictionary<string, ServiceStatus> _services;

    private HealthSnapshot(long version, DateTimeOffset time, ImmutableDictionary<string, ServiceStatus> services,
        int up, int down, int uncheckedCount, int withdrawn, int sorry)
    {
        Version = version;
        Time = time;
        _services = services;
        ServersUp = up;
        ServersDown = down;
        ServersUnchecked = uncheckedCount;
        ServicesWithdrawn = withdrawn;
        SorryServersActive = sorry;
    }

    public static HealthSnapshot Empty { get; } = new(0, DateTimeOffset.MinValue, ImmutableDictionary<string, ServiceStatus>.Empty, 0, 0, 0, 0, 0);

    /// <summary>Goes up by one with every change.</summary>
    public long Version { get; }

    public DateTimeOffset Time { get; }

    public IReadOnlyDictionary<string, ServiceStatus> Services => _services;

    public int ServersUp { get; }

    public int ServersDown { get; }

    public int ServersUnchecked { get; }

    public int ServicesWithdrawn { get; }

    public int SorryServersActive { get; }

    public RealServerHealth Get(string service, IPAddress address, int port) =>
        Find(service, address, port)?.Overlay ?? RealServerHealth.Configured;

    public ServiceHealth GetService(string service) =>
        _services.TryGetValue(service, out var status) ? status.Health : ServiceHealth.Normal;

    public RealServerStatus? Find(string service, IPAddress address, int port) =>
        _services.TryGetValue(service, out var status) ? status.Find(address, port) : null;

    /// <summary>A snapshot of exactly <paramref name="services"/>.</summary>
    public static HealthSnapshot Of(long version, DateTimeOffset time, IEnumerable<ServiceStatus> services)
    {
        var snapshot = new HealthSnapshot(version, time, ImmutableDictionary<string, ServiceStatus>.Empty, 0, 0, 0, 0, 0);
        return snapshot.With(version, time, services);
    }

    /// <summary>This snapshot with <paramref name="changed"/> services replaced (or added).</summary>
    public HealthSnapshot With(long version, DateTimeOffset time, IEnumerable<ServiceStatus> changed)
    {
        var services = _services.ToBuilder();
        int up = ServersUp, down = ServersDown, uncheckedCount = ServersUnchecked, withdrawn = ServicesWithdrawn, sorry = SorryServersActive;
        foreach (var service in changed)
        {
            if (services.TryGetValue(service.Name, out var old))
            {
                Count(old, -1);
            }

            services[service.Name] = service;
            Count(service, 1);
        }

        return new HealthSnapshot(version, time, services.ToImmutable(), up, down, uncheckedCount, withdrawn, sorry);

        void Count(ServiceStatus s, int sign)
        {
            up += sign * s.Up;
            down += sign * s.Down;
            uncheckedCount += sign * s.Unchecked;
            withdrawn += sign * (s.Health.Withdrawn ? 1 : 0);
            sorry += sign * (s.Health.SorryServerActive ? 1 : 0);
        }
    }
}
