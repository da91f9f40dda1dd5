using Reconciler.Topology.Tests.Loading;

namespace Reconciler.Topology.Tests.Validation.Rules;

public sealed class DuplicateRealServerRuleTests
{
    [Fact]
    public void Check_SameAddressAndPortTwice_Reports()
    {
        var yaml = Samples.SeedYaml
            .Replace("  - address: 192.168.1.104\n        port: 80", "  - address: 192.168.1.103\n        port: 80", StringComparison.Ordinal);

        var result = LoaderHelpers.Load(yaml);

        Assert.Equal(
            [
                "topology.yaml:38:18: error: services[0].realServers[1].address: real server 192.168.1.103:80 is already in service 'web' (first at topology.yaml:36:9)",
            ],
            result.Diagnostics.Where(d => d.Code == "duplicate-real-server").Select(d => d.ToString()));
    }
}
