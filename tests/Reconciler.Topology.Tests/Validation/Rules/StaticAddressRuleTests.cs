using static Reconciler.Topology.Tests.Validation.ValidationHelpers;

namespace Reconciler.Topology.Tests.Validation.Rules;

/// <summary>A node's static addresses: not a VIP of its instances, labels as the kernel wants them, none twice.</summary>
public sealed class StaticAddressRuleTests
{
    private const string Code = "static-address";

    private static string[] Findings(params (string Old, string New)[] replacements) =>
        LoadFindings(Replace(Samples.NetworkYaml, replacements), Code);

    [Fact]
    public void Check_NetworkSample_IsQuiet() => Assert.Empty(LoadFindings(Samples.NetworkYaml, Code));

    [Fact]
    public void Check_AddressThatIsAVirtualAddressOnTheNode_IsReported() => Assert.Equal(
        ["topology.yaml:7:38: error: nodes[0].network.addresses[0].address: 192.168.1.120 is a virtual address of instance VI_1, which runs on node lb1: it would be there while BACKUP too, and gone after stepping down; keep it in one place"],
        Findings(("address: 10.0.0.5/24, label", "address: 192.168.1.120/24, label")));

    [Fact]
    public void Check_LabelNotStartingWithTheInterface_IsReported() => Assert.Equal(
        ["topology.yaml:7:58: error: nodes[0].network.addresses[0].label: label 'eth1:1' does not start with the interface's name 'eth0', which the kernel requires (e.g. eth0:1)"],
        Findings(("label: \"eth0:1\"", "label: \"eth1:1\"")));

    [Fact]
    public void Check_LabelOnIpv6_IsReported() => Assert.Equal(
        ["topology.yaml:7:63: error: nodes[0].network.addresses[0].label: IPv6 addresses have no label; drop it"],
        Findings(("address: 10.0.0.5/24, label", "address: \"2001:db8::5/64\", label")));

    [Fact]
    public void Check_SameAddressTwiceOnAnInterface_IsReportedAtTheLaterOne() => Assert.Equal(
        ["topology.yaml:8:38: error: nodes[0].network.addresses[1].address: 10.0.0.5 is already on eth0 (first at topology.yaml:7:11)"],
        Findings(("- {interface: eth0, address: 10.0.0.5/24, label: \"eth0:1\"}", "- {interface: eth0, address: 10.0.0.5/24, label: \"eth0:1\"}\n        - {interface: eth0, address: 10.0.0.5/32}")));
}
