using Reconciler.Topology.Tests.Loading;

namespace Reconciler.Topology.Tests.Validation.Rules;

public sealed class ServiceAddressNotVirtualRuleTests
{
    [Fact]
    public void Check_BoundInstanceLacksAddress_Reports()
    {
        var yaml = Samples.SeedYaml
            .Replace("address: 192.168.1.120\n", "address: 192.168.1.121\n", StringComparison.Ordinal);

        var result = LoaderHelpers.Load(yaml);

        Assert.Equal(
            [
                "topology.yaml:22:14: warning: services[0].address: 192.168.1.121 is not a virtual address of 'VI_1', which the service is bound to",
            ],
            result.Diagnostics.Where(d => d.Code == "service-address-not-virtual").Select(d => d.ToString()));
    }

    [Fact]
    public void Check_NoInstanceCarriesAddress_Reports()
    {
        var yaml = Samples.SeedYaml
            .Replace("address: 192.168.1.120\n", "address: 192.168.1.121\n", StringComparison.Ordinal)
            .Replace("    vrrpInstance: VI_1\n", "", StringComparison.Ordinal);

        var result = LoaderHelpers.Load(yaml);

        Assert.Equal(
            [
                "topology.yaml:22:14: warning: services[0].address: 192.168.1.121 is no VRRP instance's virtual address, so no director takes it over on failure",
            ],
            result.Diagnostics.Where(d => d.Code == "service-address-not-virtual").Select(d => d.ToString()));
    }
}
