using Reconciler.Topology.Tests.Loading;

namespace Reconciler.Topology.Tests.Validation.Rules;

public sealed class TunnelSettingsRuleTests
{
    [Fact]
    public void Check_GueWithoutPortAndWithoutTunnelForwarding_Reports()
    {
        var yaml = Samples.SeedYaml
            .Replace("    forwarding: dr\n", "    forwarding: dr\n    tunnel: {type: gue}\n", StringComparison.Ordinal);

        var result = LoaderHelpers.Load(yaml);

        Assert.Equal(
            [
                "topology.yaml:26:5: error: services[0].tunnel: tunnel settings need forwarding: tunnel (on the service or a real server)",
                "topology.yaml:26:13: error: services[0].tunnel: a gue tunnel needs a port",
            ],
            result.Diagnostics.Where(d => d.Code == "tunnel-settings").Select(d => d.ToString()));
    }
}
