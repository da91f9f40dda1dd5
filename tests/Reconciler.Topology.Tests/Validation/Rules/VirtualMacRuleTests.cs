using Reconciler.Topology.Model;
using Reconciler.Topology.Tests.Loading;
using Reconciler.Topology.Yaml;

namespace Reconciler.Topology.Tests.Validation.Rules;

public sealed class VirtualMacRuleTests
{
    private const string Anchor = "    trackChecks: [{check: nginx}]\n";

    private static string SeedWith(string line) => Samples.SeedYaml.Replace(Anchor, Anchor + line, StringComparison.Ordinal);

    [Fact]
    public void Load_EmptyBlock_KeepalivedsDefaultName_WrittenBackExplicitly()
    {
        var result = LoaderHelpers.Load(SeedWith("    vmac: {}\n"));

        Assert.DoesNotContain(result.Diagnostics, d => d.IsError);
        Assert.Equal(new VirtualMac("vrrp.51", false), result.Topology!.VrrpInstances[0].Vmac);
        var written = TopologyYamlWriter.Write(result.Topology);
        Assert.Contains("    vmac: {name: vrrp.51}\n", written, StringComparison.Ordinal);
        Assert.Equal(result.Topology, LoaderHelpers.Load(written).Topology);
    }

    [Fact]
    public void Load_NameAndTransmitBase_BoundAndWrittenBackTheSame()
    {
        var result = LoaderHelpers.Load(SeedWith("    vmac: {name: vip0, transmitBase: true}\n"));

        Assert.DoesNotContain(result.Diagnostics, d => d.IsError);
        Assert.Equal(new VirtualMac("vip0", true), result.Topology!.VrrpInstances[0].Vmac);
        var written = TopologyYamlWriter.Write(result.Topology);
        Assert.Contains("    vmac: {name: vip0, transmitBase: true}\n", written, StringComparison.Ordinal);
        Assert.Equal(result.Topology, LoaderHelpers.Load(written).Topology);
    }

    [Fact]
    public void Load_WithoutTheBlock_NoVmac_AndNoneWritten()
    {
        var result = LoaderHelpers.Load(Samples.SeedYaml);

        Assert.Null(result.Topology!.VrrpInstances[0].Vmac);
        Assert.Equal("eth0", result.Topology.VrrpInstances[0].AddressInterfaceFor("lb1"));
        Assert.DoesNotContain("vmac", TopologyYamlWriter.Write(result.Topology), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NameLongerThanTheKernelTakes_LocatedSchemaError()
    {
        var result = LoaderHelpers.Load(SeedWith("    vmac: {name: a-sixteen-chars!}\n"));

        Assert.Contains(result.Diagnostics, d => d.IsError && d.Location!.Line == 20 && d.Message.Contains("vrrpInstances[0].vmac.name", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_NamedLikeAnInterfaceOfTheNode_ReportedForEachNode()
    {
        var findings = ValidationHelpers.LoadFindings(SeedWith("    vmac: {name: eth0}\n"), "vmac");

        Assert.Contains("topology.yaml:20:11: error: vrrpInstances[0].vmac: node lb1 has an interface 'eth0' of its own; the agent creates and deletes the vmac, so name it otherwise", findings);
        Assert.Contains(findings, f => f.Contains("node lb2 has an interface 'eth0'", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Contains("'eth0' is the interface a VRRP instance of node lb1 runs on", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_TwoInstancesOneVmacName_TheSecondReported()
    {
        var yaml = ValidationHelpers.Replace(
            Samples.SyncPairYaml,
            ("    virtualAddresses: [203.0.113.10]\n", "    virtualAddresses: [203.0.113.10]\n    vmac: {name: vip}\n"),
            ("    virtualAddresses: [10.0.0.1]\n", "    virtualAddresses: [10.0.0.1]\n    vmac: {name: vip}\n"));

        var findings = ValidationHelpers.LoadFindings(yaml, "vmac");

        Assert.Equal(2, findings.Length);
        Assert.All(findings, f => Assert.Contains("already has vmac 'vip' for instance VI_OUT (first at topology.yaml:", f, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_DefaultNamesOfTwoRouterIds_NoFinding()
    {
        var yaml = ValidationHelpers.Replace(
            Samples.SyncPairYaml,
            ("    virtualAddresses: [203.0.113.10]\n", "    virtualAddresses: [203.0.113.10]\n    vmac: {}\n"),
            ("    virtualAddresses: [10.0.0.1]\n", "    virtualAddresses: [10.0.0.1]\n    vmac: {}\n"));

        Assert.Empty(ValidationHelpers.LoadFindings(yaml, "vmac"));
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a b")]
    [InlineData("eth0:1")]
    [InlineData("..")]
    public void Validate_NotAKernelInterfaceName_Reports(string name)
    {
        var findings = ValidationHelpers.ValidateChangedSeed(t => t.WithInstance(i => i with { Vmac = new VirtualMac(name, false) }), "vmac");

        Assert.Contains($"'{name}' is not an interface name", Assert.Single(findings), StringComparison.Ordinal);
    }
}
