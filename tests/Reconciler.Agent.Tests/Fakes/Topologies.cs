using System.Globalization;
using Reconciler.Topology.Loading;

namespace Reconciler.Agent.Tests.Fakes;

/// <summary>Topologies for the agent's tests, written as an operator would and loaded by the real loader.</summary>
internal static class Topologies
{
    /// <summary>lb1 alone, two NAT services on one VIP, no VRRP.</summary>
    public const string Plain = """
        nodes:
          - name: lb1
            addresses: [10.0.0.1]
            interfaces: [eth0]
        services:
          - name: web
            address: 10.0.0.100
            port: 80
            scheduler: wrr
            forwarding: nat
            realServers:
              - address: 10.0.1.1
                port: 8080
                weight: 5
              - address: 10.0.1.2
                port: 8080
          - name: dns
            address: 10.0.0.100
            port: 53
            protocol: udp
            scheduler: rr
            forwarding: nat
            realServers:
              - address: 10.0.1.1
                port: 53
        """;

    /// <summary><see cref="Plain"/> with a third real server for web.</summary>
    public const string PlainWithThirdServer = """
        nodes:
          - name: lb1
            addresses: [10.0.0.1]
            interfaces: [eth0]
        services:
          - name: web
            address: 10.0.0.100
            port: 80
            scheduler: wrr
            forwarding: nat
            realServers:
              - address: 10.0.1.1
                port: 8080
                weight: 5
              - address: 10.0.1.2
                port: 8080
              - address: 10.0.1.3
                port: 8080
          - name: dns
            address: 10.0.0.100
            port: 53
            protocol: udp
            scheduler: rr
            forwarding: nat
            realServers:
              - address: 10.0.1.1
                port: 53
        """;

    /// <summary>A topology for other nodes only: lb1 is not named.</summary>
    public const string OtherNodes = """
        nodes:
          - name: lb7
            addresses: [10.0.0.7]
            interfaces: [eth0]
        services:
          - name: web
            address: 10.0.0.100
            port: 80
            forwarding: nat
            realServers:
              - address: 10.0.1.1
                port: 8080
        """;

    /// <summary>lb1 (10.0.0.1) and lb2 (10.0.0.2) sharing VRRP instance VI_1 (VIP 10.0.0.100), lb1 first.</summary>
    private const string VrrpPair = """
        nodes:
          - name: lb1
            addresses: [10.0.0.1]
            interfaces: [eth0]
          - name: lb2
            addresses: [10.0.0.2]
            interfaces: [eth0]
        vrrpInstances:
          - name: VI_1
            interface: eth0
            virtualRouterId: 51
            priorities: {lb1: 100, lb2: 80}
            virtualAddresses: [10.0.0.100]

        """;

    /// <summary>lb1 and lb2 share VI_1 (VIP 10.0.0.100 on eth0); the service is bound to it.</summary>
    public const string Vrrp = VrrpPair + """
        services:
          - name: web
            address: 10.0.0.100
            port: 80
            scheduler: wrr
            forwarding: nat
            vrrpInstance: VI_1
            realServers:
              - address: 10.0.1.1
                port: 8080
        """;

    /// <summary>lb1 and lb2 share VI_1 (10.0.0.100) and VI_2 (10.0.0.200), not grouped; the service is bound to VI_1.</summary>
    public const string VrrpTwoInstances = """
        nodes:
          - name: lb1
            addresses: [10.0.0.1]
            interfaces: [eth0]
          - name: lb2
            addresses: [10.0.0.2]
            interfaces: [eth0]
        vrrpInstances:
          - name: VI_1
            interface: eth0
            virtualRouterId: 51
            priorities: {lb1: 100, lb2: 80}
            virtualAddresses: [10.0.0.100]
          - name: VI_2
            interface: eth0
            virtualRouterId: 52
            priorities: {lb1: 100, lb2: 80}
            virtualAddresses: [10.0.0.200]
        services:
          - name: web
            address: 10.0.0.100
            port: 80
            scheduler: wrr
            forwarding: nat
            vrrpInstance: VI_1
            realServers:
              - address: 10.0.1.1
                port: 8080
        """;

    /// <summary><see cref="VrrpTwoInstances"/> with VI_1 and VI_2 in sync group VG_1.</summary>
    public const string VrrpSyncGroup = VrrpTwoInstances + """

        vrrpSyncGroups:
          - name: VG_1
            instances: [VI_1, VI_2]
        """;

    /// <summary><see cref="Vrrp"/> with lb2 (10.0.0.2) also a real server of the service, which has a TCP check.</summary>
    public const string VrrpPeerIsRealServer = VrrpPair + """
        services:
          - name: web
            address: 10.0.0.100
            port: 80
            scheduler: wrr
            forwarding: dr
            vrrpInstance: VI_1
            healthCheck: {type: tcp, interval: 1h}
            realServers:
              - {address: 10.0.0.2, port: 80, weight: 5}
              - {address: 10.0.1.1, port: 80}
        """;

    /// <summary>lb1 is a director and also a DR real server of its own VIP (the seed's shape, no health check).</summary>
    public const string DirectRouting = """
        nodes:
          - name: lb1
            addresses: [10.0.0.1]
            interfaces: [eth0]
        services:
          - name: web
            address: 10.0.0.100
            port: 80
            scheduler: wrr
            forwarding: dr
            realServers:
              - address: 10.0.0.1
                port: 80
              - address: 10.0.0.2
                port: 80
        """;

    /// <summary>lb1 alone with <paramref name="services"/> NAT services on one VIP (ports 1000 up), each with
    /// <paramref name="realServersEach"/> real servers 10.0.1.1 up: a plan of services x (1 + real servers) creates.</summary>
    public static string Many(int services, int realServersEach)
    {
        var yaml = new System.Text.StringBuilder("""
            nodes:
              - name: lb1
                addresses: [10.0.0.1]
                interfaces: [eth0]
            services:

            """);
        for (var s = 0; s < services; s++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"""
                  - name: svc{s}
                    address: 10.0.0.100
                    port: {1000 + s}
                    forwarding: nat
                    realServers:

                """);
            for (var r = 1; r <= realServersEach; r++)
            {
                yaml.Append(CultureInfo.InvariantCulture, $"""
                          - address: 10.0.1.{r}
                            port: 8080

                    """);
            }
        }

        return yaml.ToString();
    }

    public static TopologyModel Load(string yaml)
    {
        var result = TopologyLoader.LoadDocuments([new TopologyDocument("topology/lb.yaml", yaml)]);
        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        return result.Topology!;
    }

    /// <summary>The repository's seed topology (examples/seed, copied next to the test binary): two directors that
    /// are DR real servers of their own VIP.</summary>
    public static TopologyModel Seed()
    {
        var result = TopologyLoader.LoadPaths([Path.Combine(AppContext.BaseDirectory, "seed", "topology.yaml")]);
        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        return result.Topology!;
    }
}
