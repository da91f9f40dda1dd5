using Reconciler.Topology.Tests.Loading;

namespace Reconciler.Topology.Tests.Validation.Rules;

public sealed class PortRemapRuleTests
{
    [Fact]
    public void Check_DrRealServerOnOtherPort_Reports()
    {
        var yaml = Samples.SeedYaml
            .Replace("  - address: 192.168.1.104\n        port: 80", "  - address: 192.168.1.104\n        port: 8080", StringComparison.Ordinal);

        var result = LoaderHelpers.Load(yaml);

        Assert.Equal(
            [
                "topology.yaml:39:15: error: services[0].realServers[1].port: real server 192.168.1.104:8080 uses dr forwarding, which cannot change the port: use port 80 like the service, or nat forwarding",
            ],
            result.Diagnostics.Where(d => d.Code == "port-remap").Select(d => d.ToString()));
    }

    [Fact]
    public void Check_NatMayRemap_Accepts()
    {
        var yaml = Samples.SeedYaml
            .Replace("  - address: 192.168.1.104\n        port: 80", "  - address: 192.168.1.104\n        port: 8080", StringComparison.Ordinal)
            .Replace("forwarding: dr", "forwarding: nat", StringComparison.Ordinal);

        var result = LoaderHelpers.Load(yaml);

        Assert.DoesNotContain(result.Diagnostics, d => d.Code == "port-remap");
    }
}
