using Reconciler.Topology.Tests.Loading;

namespace Reconciler.Topology.Tests.Validation.Rules;

public sealed class DuplicateNameRuleTests
{
    [Fact]
    public void Check_SecondNodeWithSameName_Reports()
    {
        var yaml = Samples.SeedYaml
            .Replace("  - name: lb2\n    addresses", "  - name: lb1\n    addresses", StringComparison.Ordinal);

        var result = LoaderHelpers.Load(yaml);

        Assert.Equal(
            [
                "topology.yaml:5:11: error: nodes[1].name: duplicate node name 'lb1' (first at topology.yaml:2:11)",
            ],
            result.Diagnostics.Where(d => d.Code == "duplicate-name").Select(d => d.ToString()));
    }

    [Fact]
    public void Check_SecondServiceWithSameName_Reports()
    {
        var yaml = Samples.SeedYaml
            .Replace("        weight: 5\n", "        weight: 5\n  - name: web\n    address: 192.168.1.120\n    port: 443\n", StringComparison.Ordinal);

        var result = LoaderHelpers.Load(yaml);

        Assert.Equal(
            [
                "topology.yaml:41:11: error: services[1].name: duplicate service name 'web' (first at topology.yaml:21:11)",
            ],
            result.Diagnostics.Where(d => d.Code == "duplicate-name").Select(d => d.ToString()));
    }

    [Fact]
    public void Check_SecondSyncGroupWithSameName_Reports() => Assert.Equal(
        ["topology.yaml:34:11: error: vrrpSyncGroups[1].name: duplicate VRRP sync group name 'VG_1' (first at topology.yaml:26:11)"],
        ValidationHelpers.LoadFindings(Samples.SyncPairYaml + "  - name: VG_1\n    instances: [VI_IN, VI_OUT]\n", "duplicate-name"));
}
