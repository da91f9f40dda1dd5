using System.Net;
using System.Net.Sockets;
using Reconciler.Topology.Model;
using TopologyModel = Reconciler.Topology.Model.Topology;

namespace Reconciler.Health.Tests.Support;

/// <summary>Topology records with test defaults: a 1 s TCP check, no retries, rise = fall = 1, no warmup.</summary>
internal static class Build
{
    public static HealthCheck Check(
        HealthCheckKind kind = HealthCheckKind.Tcp,
        double intervalSeconds = 1,
        int retries = 0,
        double delayBeforeRetrySeconds = 1,
        int rise = 1,
        int fall = 1,
        double warmupSeconds = 0,
        double timeoutSeconds = 1,
        HttpCheck? http = null,
        ExecCheck? exec = null,
        SlowStart? slowStart = null,
        int? port = null,
        IPAddress? bind = null) =>
        new(kind, TimeSpan.FromSeconds(intervalSeconds), TimeSpan.FromSeconds(timeoutSeconds), retries,
            TimeSpan.FromSeconds(delayBeforeRetrySeconds), rise, fall, TimeSpan.FromSeconds(warmupSeconds), port, bind, http, exec, slowStart);

    public static RealServer Server(string address, int port = 80, int weight = 1, HealthCheck? check = null) =>
        new(IPAddress.Parse(address), port, weight, 0, 0, null, check);

    public static VirtualService Service(
        string name,
        IEnumerable<RealServer> servers,
        HealthCheck? check = null,
        bool inhibit = false,
        Quorum? quorum = null,
        SorryServer? sorry = null,
        string? vrrp = null) =>
        new(name, IPAddress.Parse("192.168.1.120"), 80, Protocol.Tcp, null, AddressFamily.InterNetwork, "wlc", [], Forwarding.Nat,
            null, null, false, sorry, quorum, inhibit, vrrp, check, servers.ToValueList());

    public static TopologyModel Topology(params VirtualService[] services) => new([], [], [], services.ToValueList());

    public static SorryServer Sorry => new(IPAddress.Parse("10.0.0.250"), 80, null);
}
