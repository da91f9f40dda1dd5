using static Reconciler.Topology.Tests.Validation.ValidationHelpers;

namespace Reconciler.Topology.Tests.Validation.Rules;

/// <summary>Policy rules the kernel takes: action and its fields, goto forward only, fwmask with fwmark.</summary>
public sealed class RoutingRuleRuleTests
{
    private const string Code = "routing-rule";

    private static string[] Findings(params (string Old, string New)[] replacements) =>
        LoadFindings(Replace(Samples.NetworkYaml, replacements), Code);

    [Fact]
    public void Check_NetworkSample_IsQuiet() => Assert.Empty(LoadFindings(Samples.NetworkYaml, Code));

    [Fact]
    public void Check_FromAndToOfOtherFamilies_IsReportedAtTo() => Assert.Equal(
        ["topology.yaml:28:36: error: vrrpInstances[0].virtualRules[0].to: to 2001:db8::/32 is IPv6 but from 192.168.1.0/24 is IPv4"],
        Findings(("to: 10.2.0.0/16,", "to: \"2001:db8::/32\",")));

    [Fact]
    public void Check_ActionTableWithoutTable_IsReportedAtTheRule() => Assert.Equal(
        ["topology.yaml:12:11: error: nodes[0].network.rules[0]: rule from 10.0.0.0/24 pref 100 looks up a table but names none; give table (or another action)"],
        Findings(("{from: 10.0.0.0/24, priority: 100, table: 100}", "{from: 10.0.0.0/24, priority: 100}")));

    [Fact]
    public void Check_TableWithAnotherAction_IsReportedAtTable() => Assert.Equal(
        ["topology.yaml:30:58: error: vrrpInstances[0].virtualRules[2].table: table is only for action table, and this rule's action is prohibit; drop it"],
        Findings(("{from: \"2001:db8::/32\", action: prohibit}", "{from: \"2001:db8::/32\", action: prohibit, table: 5}")));

    [Fact]
    public void Check_ActionGotoWithoutGoto_IsReportedAtTheRule() => Assert.Equal(
        ["topology.yaml:29:9: error: vrrpInstances[0].virtualRules[1]: rule from all fwmark 0x10/0xff iif eth0 oif eth1 pref 200 has action goto but no goto; give the priority it jumps to"],
        Findings(("{priority: 200, goto: 300,", "{priority: 200, action: goto,")));

    [Fact]
    public void Check_GotoNotAfterOwnPriority_IsReported() => Assert.Equal(
        ["topology.yaml:29:31: error: vrrpInstances[0].virtualRules[1].goto: goto 150 is not after the rule's own priority 200; the kernel jumps forward only"],
        Findings(("{priority: 200, goto: 300,", "{priority: 200, goto: 150,")));

    [Fact]
    public void Check_GotoWithoutOwnPriority_IsReported() => Assert.Equal(
        ["topology.yaml:29:16: error: vrrpInstances[0].virtualRules[1].goto: a rule with goto needs its own priority, below 300 (the kernel refuses a goto backwards, and picks an unknown priority for a rule without one)"],
        Findings(("{priority: 200, goto: 300,", "{goto: 300,")));

    [Fact]
    public void Check_GotoWithAnotherAction_IsReportedAtGoto() => Assert.Equal(
        ["topology.yaml:30:57: error: vrrpInstances[0].virtualRules[2].goto: goto is only for action goto, and this rule's action is prohibit; drop it"],
        Findings(("{from: \"2001:db8::/32\", action: prohibit}", "{from: \"2001:db8::/32\", action: prohibit, goto: 5}")));

    [Fact]
    public void Check_FwmaskWithoutFwmark_IsReported() => Assert.Equal(
        ["topology.yaml:29:44: error: vrrpInstances[0].virtualRules[1].fwmask: fwmask without fwmark masks nothing; give fwmark too, or drop fwmask"],
        Findings(("fwmark: 0x10, fwmask", "fwmask")));

    [Fact]
    public void Check_TrackOnANodesRule_IsRefused() => Assert.Equal(
        ["topology.yaml:12:65: error: nodes[0].network.rules[0].track: track is for a VRRP instance's rule: a node's static rules are always there; drop it"],
        Findings(("{from: 10.0.0.0/24, priority: 100, table: 100}", "{from: 10.0.0.0/24, priority: 100, table: 100, track: false}")));
}
