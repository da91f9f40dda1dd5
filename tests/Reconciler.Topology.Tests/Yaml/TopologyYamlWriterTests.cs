using System.Net;
using System.Net.Sockets;
using Reconciler.Topology.Model;
using Reconciler.Topology.Loading;
using Reconciler.Topology.Yaml;

namespace Reconciler.Topology.Tests.Yaml;

public sealed class TopologyYamlWriterTests
{
    [Fact]
    public void Write_Seed_GivesCanonicalYaml() =>
        Assert.Equal(Samples.SeedYaml, TopologyYamlWriter.Write(Samples.Seed));

    [Fact]
    public void Write_WithSchemaReference_PutsModelineFirst()
    {
        var text = TopologyYamlWriter.Write(Samples.Seed, "../schemas/topology.schema.json");
        Assert.StartsWith("# yaml-language-server: $schema=../schemas/topology.schema.json\nnodes:\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Empty_GivesEmptyMapping() =>
        Assert.Equal("{}\n", TopologyYamlWriter.Write(Topology.Model.Topology.Empty));

    [Theory]
    [InlineData("lb1", "lb1")]
    [InlineData("1111", "\"1111\"")]
    [InlineData("true", "\"true\"")]
    [InlineData("yes", "\"yes\"")]
    [InlineData("", "\"\"")]
    [InlineData("2001:db8::1", "\"2001:db8::1\"")]
    [InlineData("a b", "\"a b\"")]
    [InlineData("tab\there", "\"tab\\there\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData("1e3", "\"1e3\"")]
    public void FormatString_QuotesWhatWouldNotReadBack(string text, string expected) =>
        Assert.Equal(expected, YamlScalars.FormatString(text));

    [Fact]
    public void Write_Ipv6Instance_QuotesAddressesAndKeepsPrefixes()
    {
        var instance = Samples.Seed.VrrpInstances[0] with
        {
            Version = 3,
            Authentication = null,
            AdvertInterval = TimeSpan.FromMilliseconds(500),
            VirtualAddresses = [new InterfaceAddress(IPAddress.Parse("2001:db8::120"), 64), new InterfaceAddress(IPAddress.Parse("2001:db8::121"), 128)],
            Notify = new VrrpNotify(null, null, null, null, null, null),
            TrackChecks = [new TrackedCheckReference("nginx", -30)],
        };

        var text = TopologyYamlWriter.Write(Topology.Model.Topology.Empty with { VrrpInstances = [instance] });

        Assert.Equal(
            """
            vrrpInstances:
              - name: VI_1
                interface: eth0
                virtualRouterId: 51
                version: 3
                advertInterval: 500ms
                priorities: {lb1: 100, lb2: 80}
                virtualAddresses: ["2001:db8::120/64", "2001:db8::121"]
                trackChecks: [{check: nginx, weight: -30}]
                notify: {}

            """,
            text);
    }

    [Fact]
    public void Write_LongList_GoesToBlockStyle()
    {
        var node = new Node("lb1", Enumerable.Range(1, 12).Select(i => IPAddress.Parse($"10.0.0.{i}")).ToValueList(), []);

        var text = TopologyYamlWriter.Write(Topology.Model.Topology.Empty with { Nodes = [node] });

        Assert.StartsWith("nodes:\n  - name: lb1\n    addresses:\n      - 10.0.0.1\n      - 10.0.0.2\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_FirewallMarkService_WritesMarkAndFamilyOnly()
    {
        var service = Samples.Seed.Services[0] with
        {
            Address = null,
            Port = null,
            FirewallMark = 7,
            Family = AddressFamily.InterNetworkV6,
            Scheduler = TopologyDefaults.Scheduler,
            Forwarding = Forwarding.Nat,
            Persistence = null,
            VrrpInstance = null,
            HealthCheck = new HealthCheck(HealthCheckKind.Http, TopologyDefaults.HealthCheckInterval, TopologyDefaults.ConnectTimeout, 1, TimeSpan.FromSeconds(3), 1, 1, TimeSpan.Zero, null, null, TopologyDefaults.Http, null, null),
            RealServers = [],
        };

        var text = TopologyYamlWriter.Write(Topology.Model.Topology.Empty with { Services = [service] });

        Assert.Equal("services:\n  - name: web\n    firewallMark: 7\n    family: ipv6\n    healthCheck:\n      type: http\n", text);
    }

    [Fact]
    public void Write_ServiceAndRealServerNotify_WritesWhatIsSet_AndLoadsBackEqual()
    {
        var service = Samples.Seed.Services[0] with
        {
            Notify = new ServiceNotify("/usr/local/bin/quorum up", null, AtShutdown: true),
            RealServers = [Samples.Seed.Services[0].RealServers[0] with { Notify = new RealServerNotify(null, "/usr/local/bin/rs-down") }],
        };
        var topology = Samples.Seed with { Services = [service] };

        var text = TopologyYamlWriter.Write(topology);

        Assert.Contains("    notify: {quorumUp: \"/usr/local/bin/quorum up\", atShutdown: true}\n", text, StringComparison.Ordinal);
        Assert.Contains("        notify: {down: /usr/local/bin/rs-down}\n", text, StringComparison.Ordinal);
        var loaded = TopologyLoader.LoadDocuments([new TopologyDocument("t.yaml", text)]);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Diagnostics));
        Assert.Equal(topology, loaded.Topology);
    }
}
