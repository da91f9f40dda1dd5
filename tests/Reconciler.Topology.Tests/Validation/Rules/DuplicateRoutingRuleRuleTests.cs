using static Reconciler.Topology.Tests.Validation.ValidationHelpers;

namespace Reconciler.Topology.Tests.Validation.Rules;

/// <summary>The same rule twice on a node, whoever holds it, is refused by the kernel.</summary>
public sealed class DuplicateRoutingRuleRuleTests
{
    private const string Code = "duplicate-routing-rule";

    private static string[] Findings(params (string Old, string New)[] replacements) =>
        LoadFindings(Replace(Samples.NetworkYaml, replacements), Code);

    [Fact]
    public void Check_NetworkSample_IsQuiet() => Assert.Empty(LoadFindings(Samples.NetworkYaml, Code));

    [Fact]
    public void Check_InstanceRuleLikeAStaticOne_IsReportedWhateverItsTrack() => Assert.Equal(
        ["topology.yaml:30:9: error: vrrpInstances[0].virtualRules[2]: node lb1 already has rule from 10.0.0.0/24 pref 100 lookup 100 among its static rules (first at topology.yaml:12:11); the kernel refuses a rule that exists"],
        Findings(("{from: \"2001:db8::/32\", action: prohibit}", "{from: 10.0.0.0/24, priority: 100, table: 100, track: false}")));
}
