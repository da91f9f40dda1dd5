using static Reconciler.Topology.Tests.Validation.ValidationHelpers;

namespace Reconciler.Topology.Tests.Validation.Rules;

public sealed class TrackedFileRuleTests
{
    private const string Code = "tracked-file";

    private const string Yaml = """
        checks:
          - name: drain
            file: {path: /run/lb/drain, init: {value: INIT}}
            weight: 10
          - name: nginx
            command: [/bin/true]
        services:
          - name: s
            address: 10.0.0.1
            port: 80
            healthCheck: {type: file, file: FILE}
            realServers:
              - {address: 10.0.1.1, port: 80}

        """;

    private static string With(string file, string init = "0") => Yaml.Replace("FILE", file, StringComparison.Ordinal).Replace("INIT", init, StringComparison.Ordinal);

    [Theory]
    [InlineData("{check: drain}")]
    [InlineData("{check: drain, weight: -3}")]
    [InlineData("{check: drain, weight: 100000, reverse: true}")]
    public void Check_FileCheckOfATrackedFile_IsQuiet(string file) => Assert.Empty(LoadFindings(With(file), Code));

    [Fact]
    public void Check_UnknownFile_ReportsWithSuggestion() => Assert.Equal(
        ["topology.yaml:11:45: error: services[0].healthCheck.file.check: no check is named 'drainn'; did you mean 'drain'?"],
        LoadFindings(With("{check: drainn}"), Code));

    [Fact]
    public void Check_CommandCheckNamed_Reports() => Assert.Equal(
        ["topology.yaml:11:45: error: services[0].healthCheck.file.check: no file is read by check 'nginx'"],
        LoadFindings(With("{check: nginx}"), Code));

    [Fact]
    public void Check_WeightZero_ReportsKeepalivedsReading() => Assert.Contains(
        "weight 0 here means the tracked file's weight",
        Assert.Single(LoadFindings(With("{check: drain, weight: 0}"), Code)));

    [Fact]
    public void Check_ReverseWithoutWeight_Reports() => Assert.Contains(
        "services[0].healthCheck.file.reverse: reverse goes with a weight",
        Assert.Single(LoadFindings(With("{check: drain, reverse: true}"), Code)));

    [Fact]
    public void Check_InitOutsideSensibleRange_Warns() => Assert.Contains(
        "warning: checks[0].file.init.value: init value 300 is outside the sensible range -254..254",
        Assert.Single(LoadFindings(With("{check: drain}", "300"), Code)));

    [Fact]
    public void Check_NeitherCommandNorFile_Reports() => Assert.Contains(
        "topology.yaml:2:5: error: checks[0]: check 'drain' needs a command or a file",
        LoadFindings(With("{check: drain}").Replace("    file: {path: /run/lb/drain, init: {value: 0}}\n", string.Empty, StringComparison.Ordinal), Code));

    [Fact]
    public void Check_ReverseOnACommandCheckReference_Reports()
    {
        var yaml = With("{check: drain}") + """
            nodes: [{name: n1, addresses: [10.0.0.11]}]
            vrrpInstances:
              - name: VI_1
                interface: eth0
                virtualRouterId: 51
                priorities: {n1: 100}
                virtualAddresses: [10.0.0.1]
                trackChecks: [{check: nginx, weight: 5, reverse: true}, {check: drain, weight: 254, reverse: true}]

            """;

        Assert.Contains("vrrpInstances[0].trackChecks[0].reverse: reverse applies to a tracked file; check 'nginx' runs a command",
            Assert.Single(LoadFindings(yaml, Code)));
    }
}
