using System.Net;
using Reconciler.Topology.Model;
using Reconciler.Topology.Tests.Loading;
using Reconciler.Topology.Yaml;

namespace Reconciler.Topology.Tests.Validation.Rules;

public sealed class VirtualAddressLabelRuleTests
{
    private const string Anchor = "    trackChecks: [{check: nginx}]\n";

    private static string SeedWith(string line) => Samples.SeedYaml.Replace(Anchor, Anchor + line, StringComparison.Ordinal);

    [Fact]
    public void Load_LabelOfAVip_BoundAndWrittenBackTheSame()
    {
        var result = LoaderHelpers.Load(SeedWith("    virtualAddressLabels: {192.168.1.120: \"eth0:vip\"}\n"));

        Assert.DoesNotContain(result.Diagnostics, d => d.IsError || d.Code == "address-label");
        Assert.Equal("eth0:vip", result.Topology!.VrrpInstances[0].VirtualAddressLabels["192.168.1.120"]);
        var written = TopologyYamlWriter.Write(result.Topology);
        Assert.Contains("    virtualAddressLabels: {192.168.1.120: \"eth0:vip\"}\n", written, StringComparison.Ordinal);
        Assert.Equal(result.Topology, LoaderHelpers.Load(written).Topology);
    }

    [Fact]
    public void Load_LabelOfAnAddressThatIsNoVip_ErrorAtTheKey()
    {
        var findings = ValidationHelpers.LoadFindings(SeedWith("    virtualAddressLabels: {192.168.1.121: \"eth0:vip\"}\n"), "address-label");

        Assert.Equal(["topology.yaml:20:28: error: vrrpInstances[0].virtualAddressLabels.192.168.1.121: 192.168.1.121 is not one of the instance's virtualAddresses"], findings);
    }

    [Fact]
    public void Load_KeyThatIsNoAddress_LocatedError()
    {
        var result = LoaderHelpers.Load(SeedWith("    virtualAddressLabels: {vip: \"eth0:vip\"}\n"));

        Assert.Contains(result.Diagnostics, d => d.IsError && d.Location!.Line == 20 && d.Message.Contains("'vip' is not an IP address", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_LabelNotNamedAfterTheInterface_Warning()
    {
        var findings = ValidationHelpers.LoadFindings(SeedWith("    virtualAddressLabels: {192.168.1.120: web}\n"), "address-label");

        Assert.Contains("label 'web' does not begin with 'eth0:'", Assert.Single(findings), StringComparison.Ordinal);
        Assert.Contains(": warning: ", findings[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WithVmac_LabelNamedAfterTheVmac_NoFinding()
    {
        var findings = ValidationHelpers.LoadFindings(SeedWith("    vmac: {}\n    virtualAddressLabels: {192.168.1.120: \"vrrp.51:web\"}\n"), "address-label");

        Assert.Empty(findings);
    }

    [Fact]
    public void Validate_LabelOnAnIPv6Address_Error()
    {
        var v6 = new InterfaceAddress(IPAddress.Parse("2001:db8::10"), 64);
        var findings = ValidationHelpers.ValidateChangedSeed(
            t => t.WithInstance(i => i with
            {
                Version = 3,
                VirtualAddresses = [v6],
                VirtualAddressLabels = ValueMap<string>.Create([new("2001:db8::10", "eth0:v6")]),
            }),
            "address-label");

        Assert.Contains("2001:db8::10 is an IPv6 address; only IPv4 addresses have labels", Assert.Single(findings), StringComparison.Ordinal);
    }
}
