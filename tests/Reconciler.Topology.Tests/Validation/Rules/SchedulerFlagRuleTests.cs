using Reconciler.Topology.Tests.Loading;

namespace Reconciler.Topology.Tests.Validation.Rules;

public sealed class SchedulerFlagRuleTests
{
    [Fact]
    public void Check_ShFlagWithWrr_Reports()
    {
        var yaml = Samples.SeedYaml
            .Replace("    scheduler: wrr\n", "    scheduler: wrr\n    schedulerFlags: [sh-port]\n", StringComparison.Ordinal);

        var result = LoaderHelpers.Load(yaml);

        Assert.Equal(
            [
                "topology.yaml:25:22: error: services[0].schedulerFlags[0]: flag sh-port is for the sh scheduler, not wrr",
            ],
            result.Diagnostics.Where(d => d.Code == "scheduler-flag").Select(d => d.ToString()));
    }
}
