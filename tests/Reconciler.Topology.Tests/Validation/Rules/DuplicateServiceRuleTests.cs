using Reconciler.Topology.Tests.Loading;

namespace Reconciler.Topology.Tests.Validation.Rules;

public sealed class DuplicateServiceRuleTests
{
    [Fact]
    public void Check_SameEndpointTwice_Reports()
    {
        var yaml = Samples.SeedYaml
            .Replace("        weight: 5\n", "        weight: 5\n  - name: web2\n    address: 192.168.1.120\n    port: 80\n", StringComparison.Ordinal);

        var result = LoaderHelpers.Load(yaml);

        Assert.Equal(
            [
                "topology.yaml:42:14: error: services[1].address: service 'web2' has the same endpoint TCP 192.168.1.120:80 as service 'web' (first at topology.yaml:21:5)",
            ],
            result.Diagnostics.Where(d => d.Code == "duplicate-service").Select(d => d.ToString()));
    }

    [Fact]
    public void Check_SameFirewallMarkTwice_Reports()
    {
        var yaml = Samples.SeedYaml
            .Replace("        weight: 5\n", "        weight: 5\n  - name: fw1\n    firewallMark: 7\n  - name: fw2\n    firewallMark: 7\n", StringComparison.Ordinal);

        var result = LoaderHelpers.Load(yaml);

        Assert.Equal(
            [
                "topology.yaml:44:19: error: services[2].firewallMark: service 'fw2' has the same endpoint FWM 7 (IPv4) as service 'fw1' (first at topology.yaml:41:5)",
            ],
            result.Diagnostics.Where(d => d.Code == "duplicate-service").Select(d => d.ToString()));
    }
}
