using System.Net;
using System.Net.Sockets;
using Reconciler.Topology.Model;

namespace Reconciler.Topology.Tests;

/// <summary>Topologies the tests share; <see cref="Seed"/> is the keepalived seed configuration, translated.</summary>
internal static class Samples
{
    public static Topology.Model.Topology Seed { get; } = new(
        [
            new Node("lb1", [IPAddress.Parse("192.168.1.104")], ["eth0"]),
            new Node("lb2", [IPAddress.Parse("192.168.1.103")], ["eth0"]),
        ],
        [new TrackedCheck("nginx", ["/usr/local/etc/keepalived/script/monitor_nginx.sh"], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), 1, 1, -15)],
        [
            new VrrpInstance(
                "VI_1",
                "eth0",
                ValueMap<string>.Empty,
                51,
                2,
                TimeSpan.FromSeconds(1),
                ValueMap<int>.Create([new("lb1", 100), new("lb2", 80)]),
                true,
                TimeSpan.Zero,
                new VrrpAuthentication("1111", null),
                [new InterfaceAddress(IPAddress.Parse("192.168.1.120"), 32)],
                [],
                [new TrackedCheckReference("nginx", null)],
                [],
                null,
                GratuitousArp.Default),
        ],
        [
            new VirtualService(
                "web",
                IPAddress.Parse("192.168.1.120"),
                80,
                Protocol.Tcp,
                null,
                AddressFamily.InterNetwork,
                "wrr",
                [],
                Forwarding.DirectRouting,
                null,
                new Persistence(TimeSpan.FromSeconds(50), null, null),
                false,
                null,
                null,
                false,
                "VI_1",
                new HealthCheck(HealthCheckKind.Tcp, TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(10), 3, TimeSpan.FromSeconds(3), 1, 1, TimeSpan.Zero, 80, null, null, null, null),
                [
                    new RealServer(IPAddress.Parse("192.168.1.103"), 80, 1, 0, 0, null, null),
                    new RealServer(IPAddress.Parse("192.168.1.104"), 80, 5, 0, 0, null, null),
                ]),
        ]);

    public const string SeedYaml = """
        nodes:
          - name: lb1
            addresses: [192.168.1.104]
            interfaces: [eth0]
          - name: lb2
            addresses: [192.168.1.103]
            interfaces: [eth0]
        checks:
          - name: nginx
            command: [/usr/local/etc/keepalived/script/monitor_nginx.sh]
            weight: -15
        vrrpInstances:
          - name: VI_1
            interface: eth0
            virtualRouterId: 51
            priorities: {lb1: 100, lb2: 80}
            authentication: {password: "1111"}
            virtualAddresses: [192.168.1.120]
            trackChecks: [{check: nginx}]
        services:
          - name: web
            address: 192.168.1.120
            port: 80
            scheduler: wrr
            forwarding: dr
            persistence: {timeout: 50s}
            vrrpInstance: VI_1
            healthCheck:
              type: tcp
              interval: 6s
              connectTimeout: 10s
              retries: 3
              delayBeforeRetry: 3s
              port: 80
            realServers:
              - address: 192.168.1.103
                port: 80
              - address: 192.168.1.104
                port: 80
                weight: 5

        """;

    /// <summary>A NAT pair: an outside VIP and an inside gateway on two directors, failing over together in one sync
    /// group (line numbers matter to the tests). Loads without a finding.</summary>
    public const string SyncPairYaml = """
        nodes:
          - name: lb1
            addresses: [203.0.113.2]
            interfaces: [eth0, eth1, eth2]
          - name: lb2
            addresses: [203.0.113.3]
            interfaces: [eth0, eth1, eth2]
        checks:
          - name: upstream
            command: [/usr/local/bin/check-upstream]
          - name: disk
            command: [/usr/local/bin/check-disk]
            weight: -30
        vrrpInstances:
          - name: VI_OUT
            interface: eth0
            virtualRouterId: 51
            priorities: {lb1: 150, lb2: 100}
            virtualAddresses: [203.0.113.10]
          - name: VI_IN
            interface: eth1
            virtualRouterId: 52
            priorities: {lb1: 150, lb2: 100}
            virtualAddresses: [10.0.0.1]
        vrrpSyncGroups:
          - name: VG_1
            instances: [VI_OUT, VI_IN]
            trackChecks: [{check: upstream, weight: 0}]
            trackInterfaces: [{interface: eth2}]
            notify:
              master: "/usr/local/bin/vg master"
              any: /usr/local/bin/vg-any
              webhook: "http://127.0.0.1:9000/vg"

        """;

    /// <summary>A pair of directors with routes, rules and static addresses: a gateway instance's routes and rules
    /// (held while MASTER) and each node's own (line numbers matter to the tests). Loads without a finding.</summary>
    public const string NetworkYaml = """
        nodes:
          - name: lb1
            addresses: [192.168.1.104]
            interfaces: [eth0, eth1]
            network:
              addresses:
                - {interface: eth0, address: 10.0.0.5/24, label: "eth0:1"}
              routes:
                - {to: 10.9.0.0/16, via: 192.168.1.254}
                - {to: 198.51.100.0/24, type: blackhole, metric: 10}
              rules:
                - {from: 10.0.0.0/24, priority: 100, table: 100}
          - name: lb2
            addresses: [192.168.1.103]
            interfaces: [eth0, eth1]
        vrrpInstances:
          - name: VI_1
            interface: eth0
            virtualRouterId: 51
            priorities: {lb1: 100, lb2: 80}
            virtualAddresses: [192.168.1.120]
            virtualRoutes:
              - {to: default, via: 192.168.1.1, dev: eth1, table: 100}
              - {to: 10.1.0.0/16, via: 192.168.1.1, src: 192.168.1.120, metric: 5, track: false}
              - {to: default, via: "fe80::1", dev: eth1}
              - {to: 10.3.0.0/16, via: 10.9.9.1, dev: eth1, scope: link, onLink: true}
            virtualRules:
              - {from: 192.168.1.0/24, to: 10.2.0.0/16, priority: 100, table: 100}
              - {priority: 200, goto: 300, fwmark: 0x10, fwmask: 0xff, iif: eth0, oif: eth1, track: false}
              - {from: "2001:db8::/32", action: prohibit}

        """;

    /// <summary>One UDP service on line 2 whose health check, written in flow style, starts on line 6 at column 18:
    /// <c>CHECK</c> in <see cref="CheckYaml"/>, replaced by <see cref="WithCheck"/>.</summary>
    public const string CheckYaml = """
        services:
          - name: s
            address: 10.0.0.1
            port: 53
            protocol: udp
            healthCheck: CHECK
            realServers:
              - {address: 10.0.1.1, port: 53}

        """;

    public static string WithCheck(string check) => CheckYaml.Replace("CHECK", check, StringComparison.Ordinal);
}
