using Reconciler.Health.Checking;
using Reconciler.Planning.Desired;
using Reconciler.Topology.Model;

namespace Reconciler.Health;

public sealed partial class HealthMonitor
{
    /// <summary>A service this node serves. Mutable, owned by the monitor's lock.</summary>
    private sealed class ServiceEntry(string name, VirtualService service)
    {
        public string Name { get; } = name;

        public VirtualService Service { get; set; } = service;

        /// <summary>By endpoint, in topology order.</summary>
        public Dictionary<RealServerEndpoint, ServerEntry> Servers { get; set; } = [];

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
