using Reconciler.Topology.Tests.Loading;

namespace Reconciler.Topology.Tests.Validation.Rules;

public sealed class AddressFamilyRuleTests
{
    [Fact]
    public void Check_Ipv6VirtualAddressWithVersion2_Reports()
    {
        var yaml = Samples.SeedYaml
            .Replace("virtualAddresses: [192.168.1.120]", "virtualAddresses: [\"2001:db8::120/64\"]", StringComparison.Ordinal)
            .Replace("address: 192.168.1.120\n", "address: \"2001:db8::120\"\n", StringComparison.Ordinal);

        var result = LoaderHelpers.Load(yaml);

        Assert.Equal(
            [
                "topology.yaml:18:24: error: vrrpInstances[0].virtualAddresses[0]: 2001:db8::120 is IPv6, which VRRP version 2 cannot carry; set version: 3",
                "topology.yaml:36:18: error: services[0].realServers[0].address: real server 192.168.1.103 is IPv4 but service 'web' is IPv6; only tunnel forwarding can mix families",
                "topology.yaml:38:18: error: services[0].realServers[1].address: real server 192.168.1.104 is IPv4 but service 'web' is IPv6; only tunnel forwarding can mix families",
            ],
            result.Diagnostics.Where(d => d.Code == "address-family").Select(d => d.ToString()));
    }

    [Fact]
    public void Check_MixedVirtualAddresses_Reports()
    {
        var yaml = Samples.SeedYaml
            .Replace("virtualAddresses: [192.168.1.120]", "virtualAddresses: [192.168.1.120, \"2001:db8::120\"]", StringComparison.Ordinal);

        var result = LoaderHelpers.Load(yaml);

        Assert.Equal(
            [
                "topology.yaml:18:39: error: vrrpInstances[0].virtualAddresses[1]: 2001:db8::120 is IPv6 but the instance's first virtual address is IPv4; use one instance per family",
            ],
            result.Diagnostics.Where(d => d.Code == "address-family").Select(d => d.ToString()));
    }

    [Fact]
    public void Check_Ipv6RealServerOfIpv4DrService_Reports()
    {
        var yaml = Samples.SeedYaml
            .Replace("  - address: 192.168.1.103\n", "  - address: \"2001:db8::103\"\n", StringComparison.Ordinal);

        var result = LoaderHelpers.Load(yaml);

        Assert.Equal(
            [
                "topology.yaml:36:18: error: services[0].realServers[0].address: real server 2001:db8::103 is IPv6 but service 'web' is IPv4; only tunnel forwarding can mix families",
            ],
            result.Diagnostics.Where(d => d.Code == "address-family").Select(d => d.ToString()));
    }

    [Fact]
    public void Check_UnicastPeerOfOtherFamily_Reports()
    {
        var yaml = Samples.SeedYaml
            .Replace("    trackChecks:", "    unicastPeers: [192.168.1.103, \"fe80::1\"]\n    trackChecks:", StringComparison.Ordinal);

        var result = LoaderHelpers.Load(yaml);

        Assert.Equal(
            [
                "topology.yaml:19:35: error: vrrpInstances[0].unicastPeers[1]: unicast peer fe80::1 is IPv6 but the instance's virtual addresses are IPv4",
            ],
            result.Diagnostics.Where(d => d.Code == "address-family").Select(d => d.ToString()));
    }

    [Fact]
    public void Check_SorryServerOfOtherFamily_Reports()
    {
        var yaml = Samples.SeedYaml
            .Replace("    vrrpInstance: VI_1\n", "    sorryServer: {address: \"2001:db8::200\", port: 80}\n    vrrpInstance: VI_1\n", StringComparison.Ordinal);

        var result = LoaderHelpers.Load(yaml);

        Assert.Equal(
            [
                "topology.yaml:27:18: error: services[0].sorryServer: sorry server 2001:db8::200 is IPv6 but service 'web' is IPv4",
            ],
            result.Diagnostics.Where(d => d.Code == "address-family").Select(d => d.ToString()));
    }
}
