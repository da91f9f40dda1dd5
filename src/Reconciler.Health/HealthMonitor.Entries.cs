using Reconciler.Health.Checking;
using Reconciler.Planning.Desired;
using Reconciler.Topology.Model;

namespace Reconciler.Health;

public sealed partial class HealthMonitor
{
    /// <summary>Shared by every service none of whose real servers has a check (most, in a big table): never
    /// written to (<see cref="Update"/> builds a service's own dictionary when it has a checked server).</summary>
    private static readonly Dictionary<RealServerEndpoint, ServerEntry> NoCheckedServers = [];

    /// <summary>A service this node serves. Mutable, owned by the monitor's lock.</summary>
    private sealed class ServiceEntry(string name, VirtualService service)
    {
        public string Name { get; } = name;

        public VirtualService Service { get; set; } = service;

        /// <summary>The checked real servers by endpoint, in topology order; <see cref="NoCheckedServers"/> when none is.</summary>
        public Dictionary<RealServerEndpoint, ServerEntry> Servers { get; set; } = NoCheckedServers;

        public bool QuorumUp { get; set; } = true;

        public ServiceHealth Health { get; set; } = ServiceHealth.Normal;

        public ServiceStatus? View { get; set; }
    }

    /// <summary>One real server of one service. Mutable, owned by the monitor's lock.</summary>
    private sealed class ServerEntry(ServiceEntry owner, RealServer server, bool up)
    {
        public ServiceEntry Owner { get; } = owner;

        public RealServer Server { get; set; } = server;

        public HealthCheck? Check { get; set; }

        /// <summary>A file check's tracked file as resolved from the topology (a change replaces the check).</summary>
        public Probes.FileTarget? File { get; set; }

        public CheckRunner? Runner { get; set; }

        public bool Up { get; set; } = up;

        /// <summary>Why the state is what it is (the deciding detail and count); null while initial.</summary>
        public string? Reason { get; set; }

        /// <summary>The last detail that decided something.</summary>
        public string? Detail { get; set; }

        public DateTimeOffset? Since { get; set; }

        public int? DynamicWeight { get; set; }

        /// <summary>When slow start began; null when not ramping.</summary>
        public DateTimeOffset? RampStart { get; set; }

        public int RampWeight { get; set; }

        public int TargetWeight => DynamicWeight ?? Server.Weight;

        public RealServerState State => Check is null ? RealServerState.Unchecked : Up ? RealServerState.Up : RealServerState.Down;

        public string Endpoint => Server.Endpoint;
    }
}
