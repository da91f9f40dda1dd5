using System.Net;
using Reconciler.Topology.Model;
using Reconciler.Topology.Tests.Loading;
using Reconciler.Topology.Yaml;

namespace Reconciler.Topology.Tests.Validation.Rules;

public sealed class ConnectionSyncRuleTests
{
    private const string Anchor = "    trackChecks: [{check: nginx}]\n";

    /// <summary>The seed with the instance's sync line and real servers of their own (.201, .202): with connection sync
    /// a director cannot be one (<see cref="Check_DirectorIsARealServerOfTheSyncingInstancesService_Reports"/>).</summary>
    private static string SeedWith(string syncLine) => DirectorsAsRealServers(syncLine)
        .Replace("  - address: 192.168.1.103", "  - address: 192.168.1.201", StringComparison.Ordinal)
        .Replace("  - address: 192.168.1.104", "  - address: 192.168.1.202", StringComparison.Ordinal);

    private static string DirectorsAsRealServers(string syncLine) => Samples.SeedYaml.Replace(Anchor, Anchor + syncLine, StringComparison.Ordinal);

    [Fact]
    public void Load_EmptyBlock_EveryFieldLeftToItsDefault()
    {
        var result = LoaderHelpers.Load(SeedWith("    connectionSync: {}\n"));

        Assert.DoesNotContain(result.Diagnostics, d => d.IsError);
        Assert.Equal(ConnectionSync.Default, result.Topology!.VrrpInstances[0].ConnectionSync);
    }

    [Fact]
    public void Load_EveryField_BoundAndWrittenBackTheSame()
    {
        var result = LoaderHelpers.Load(SeedWith("    connectionSync: {interface: eth0, syncId: 7, maxLength: 1400, port: 9000, ttl: 2, group: 239.1.2.3}\n"));

        Assert.DoesNotContain(result.Diagnostics, d => d.IsError);
        Assert.Equal(new ConnectionSync("eth0", 7, 1400, 9000, 2, IPAddress.Parse("239.1.2.3")), result.Topology!.VrrpInstances[0].ConnectionSync);
        var written = TopologyYamlWriter.Write(result.Topology);
        Assert.Contains("    connectionSync:\n      interface: eth0\n      syncId: 7\n      maxLength: 1400\n      port: 9000\n      ttl: 2\n      group: 239.1.2.3\n", written, StringComparison.Ordinal);
        Assert.Equal(result.Topology, LoaderHelpers.Load(written).Topology);
    }

    [Fact]
    public void Load_WithoutTheBlock_NoSync_AndNoneWritten()
    {
        var result = LoaderHelpers.Load(Samples.SeedYaml);

        Assert.Null(result.Topology!.VrrpInstances[0].ConnectionSync);
        Assert.DoesNotContain("connectionSync", TopologyYamlWriter.Write(result.Topology), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("syncId: 256", "topology.yaml:20:30: error: vrrpInstances[0].connectionSync.syncId: 256 is greater than the maximum 255")]
    [InlineData("ttl: 0", "topology.yaml:20:27: error: vrrpInstances[0].connectionSync.ttl: 0 is less than the minimum 1")]
    [InlineData("port: 0", "topology.yaml:20:28: error: vrrpInstances[0].connectionSync.port: 0 is less than the minimum 1")]
    [InlineData("mtu: 9000", "topology.yaml:20:22: error: vrrpInstances[0].connectionSync.mtu: unknown property 'mtu' (expected interface, syncId, maxLength, port, ttl, group)")]
    public void Load_OutOfRangeOrUnknown_LocatedSchemaError(string field, string expected)
    {
        var result = LoaderHelpers.Load(SeedWith($"    connectionSync: {{{field}}}\n"));

        Assert.Contains(expected, result.Lines());
    }

    [Fact]
    public void Check_GroupNotMulticast_Reports()
    {
        var result = LoaderHelpers.Load(SeedWith("    connectionSync: {group: 10.0.0.1}\n"));

        Assert.Equal(
            ["topology.yaml:20:29: error: vrrpInstances[0].connectionSync.group: 10.0.0.1 is not a multicast address (the kernel's default is 224.0.0.81)"],
            result.Diagnostics.Where(d => d.Code == "connection-sync").Select(d => d.ToString()));
    }

    [Fact]
    public void Check_InterfaceANodeLacks_ReportsEachNode()
    {
        var result = LoaderHelpers.Load(SeedWith("    connectionSync: {interface: sync0}\n"));

        Assert.Equal(
            [
                "topology.yaml:20:33: error: vrrpInstances[0].connectionSync.interface: node lb1 has no interface 'sync0' (it has eth0)",
                "topology.yaml:20:33: error: vrrpInstances[0].connectionSync.interface: node lb2 has no interface 'sync0' (it has eth0)",
            ],
            result.Diagnostics.Where(d => d.Code == "connection-sync").Select(d => d.ToString()));
    }

    [Fact]
    public void Check_TwoInstancesOfOneNodeSync_ReportsTheSecondWithTheFirst()
    {
        var second = """
              - name: VI_2
                interface: eth0
                virtualRouterId: 52
                priorities: {lb2: 100}
                virtualAddresses: [192.168.1.121]
                connectionSync: {}

            """;
        var yaml = SeedWith("    connectionSync: {}\n").Replace("services:\n", second + "services:\n", StringComparison.Ordinal);

        var result = LoaderHelpers.Load(yaml);

        Assert.Equal(
            ["topology.yaml:26:21: error: vrrpInstances[1].connectionSync: node lb2 already synchronises connections for instance VI_1 (first at topology.yaml:20:21); the kernel runs one master and one backup sync daemon per node"],
            result.Diagnostics.Where(d => d.Code == "connection-sync").Select(d => d.ToString()));
    }

    [Fact]
    public void Check_RealServerOfAnotherFamily_ReportedWhileSyncing()
    {
        var yaml = SeedWith("    connectionSync: {}\n")
            .Replace("scheduler: wrr\n    forwarding: dr", "scheduler: wrr\n    forwarding: tunnel", StringComparison.Ordinal)
            .Replace("  - address: 192.168.1.201", "  - address: 2001:db8::201", StringComparison.Ordinal);

        var result = LoaderHelpers.Load(yaml);

        var finding = Assert.Single(result.Diagnostics, d => d.Code == "connection-sync");
        Assert.Equal("error: services[0].realServers[0].address: real server 2001:db8::201 is not of its service's family, which the kernel refuses while it synchronises connections (instance VI_1 asks for that)", $"{finding.Severity.ToString().ToLowerInvariant()}: {finding.Message}");
    }

    [Fact]
    public void Check_DirectorIsARealServerOfTheSyncingInstancesService_Reports()
    {
        // The seed's directors are its real servers too: with connection sync the BACKUP keeps the service.
        var result = LoaderHelpers.Load(DirectorsAsRealServers("    connectionSync: {}\n"));

        Assert.Equal(
            [
                "services[0].realServers[0].address: real server 192.168.1.103 is director lb2 of instance VI_1, which synchronises connections: its services are kept on every node of it, BACKUP included, and lb2 would schedule again what the MASTER forwards to it; use separate real servers, or drop connectionSync",
                "services[0].realServers[1].address: real server 192.168.1.104 is director lb1 of instance VI_1, which synchronises connections: its services are kept on every node of it, BACKUP included, and lb1 would schedule again what the MASTER forwards to it; use separate real servers, or drop connectionSync",
            ],
            result.Diagnostics.Where(d => d.Code == "connection-sync").Select(d => d.Message));
    }
}
