namespace Reconciler.GitSource.Tests;

/// <summary>Seed-like topologies (examples/seed, plus a second instance and service) and their variants.</summary>
internal static class Samples
{
    public const string Nodes = """
        nodes:
          - name: lb1
            addresses: [192.168.1.104]
            interfaces: [eno16777736]
          - name: lb2
            addresses: [192.168.1.103]
            interfaces: [eno16777736]
        checks:
          - name: monitor_nginx
            command: [/usr/local/etc/keepalived/script/monitor_nginx.sh]
            weight: -15

        """;

    public const string Vrrp = """
        vrrpInstances:
          - name: VI_1
            interface: eno16777736
            virtualRouterId: 51
            priorities: {lb1: 100, lb2: 80}
            authentication: {password: "1111"}
            virtualAddresses: [192.168.1.120, 192.168.1.122]
            trackChecks: [{check: monitor_nginx}]
          - name: VI_2
            interface: eno16777736
            virtualRouterId: 52
            priorities: {lb1: 80, lb2: 100}
            virtualAddresses: [192.168.1.121]

        """;

    public const string Services = """
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
              warmup: 6s
            realServers:
              - address: 192.168.1.103
                port: 80
              - address: 192.168.1.104
                port: 80
                weight: 5
          - name: api
            address: 192.168.1.121
            port: 8080
            scheduler: rr
            vrrpInstance: VI_2
            realServers:
              - address: 10.0.0.11
                port: 8080
              - address: 10.0.0.12
                port: 8080

        """;

    /// <summary>The whole seed-like topology in one file.</summary>
    public const string Seed = Nodes + Vrrp + Services;

    /// <summary>Two services without VRRP, for the safety limit.</summary>
    public static string Plain(params string[] services) => """
        nodes:
          - name: lb1
            addresses: [10.0.0.1]
            interfaces: [eth0]
        services:

        """ + string.Concat(services.Select((name, i) => $"""
          - name: {name}
            address: 10.1.0.{i + 1}
            port: 80
            realServers:
              - address: 10.2.0.{i + 1}
                port: 80

        """));

    /// <summary>No services at all.</summary>
    public const string Empty = """
        nodes:
          - name: lb1
            addresses: [10.0.0.1]
            interfaces: [eth0]

        """;

    /// <summary>Broken on purpose: a port and a weight out of range, both located.</summary>
    public const string Invalid = """
        nodes:
          - name: lb1
            addresses: [10.0.0.1]
            interfaces: [eth0]
        services:
          - name: web
            address: 10.1.0.1
            port: 70000
            vrrpInstance: NOPE
            realServers:
              - address: 10.2.0.1
                port: 80
                weight: 70000

        """;
}
