using Reconciler.Topology.Model;
using static Reconciler.Topology.Tests.Validation.ValidationHelpers;

namespace Reconciler.Topology.Tests.Validation.Rules;

public sealed class UdpCheckRuleTests
{
    private const string Code = "udp-check";

    private static string[] Findings(string check) => LoadFindings(Samples.WithCheck(check), Code);

    [Theory]
    [InlineData("{type: udp}")]
    [InlineData("{type: udp, udp: {}}")]
    [InlineData("{type: udp, udp: {payload: \"Ab12f 3 456\", requireReply: true, replyPattern: \"ab xX\", minReplyLength: 2, maxReplyLength: 2}}")]
    [InlineData("{type: udp, udp: {requireReply: true, maxReplyLength: 65527}}")]
    public void Check_SettingsACheckCanPass_AreQuiet(string check) => Assert.Empty(Findings(check));

    [Fact]
    public void Check_PayloadNotHex_ReportsAtThePayload() => Assert.Equal(
        ["topology.yaml:6:45: error: services[0].healthCheck.udp.payload: the payload is not a hex string: 'g' at position 4 is not a hex digit"],
        Findings("{type: udp, udp: {payload: \"ab g\"}}"));

    [Fact]
    public void Check_PayloadWithWildcard_ReportsIt() => Assert.Equal(
        ["topology.yaml:6:45: error: services[0].healthCheck.udp.payload: the payload is not a hex string: 'x' at position 2 is not a hex digit"],
        Findings("{type: udp, udp: {payload: \"ax\"}}"));

    [Fact]
    public void Check_PayloadOfBlanksOnly_ReportsIt() => Assert.Equal(
        ["topology.yaml:6:45: error: services[0].healthCheck.udp.payload: the payload is not a hex string: no hex digits"],
        Findings("{type: udp, udp: {payload: \"  \"}}"));

    [Fact]
    public void Check_PatternNotHex_ReportsAtThePattern() => Assert.Equal(
        ["topology.yaml:6:70: error: services[0].healthCheck.udp.replyPattern: the reply pattern is not a hex string: '?' at position 3 is neither a hex digit nor x"],
        Findings("{type: udp, udp: {requireReply: true, replyPattern: \"ab?\"}}"));

    [Fact]
    public void Check_PatternWithoutRequireReply_ReportsAtItsKey() => Assert.Equal(
        ["topology.yaml:6:36: error: services[0].healthCheck.udp.replyPattern: a reply pattern needs requireReply: true (without it no reply is read)"],
        Findings("{type: udp, udp: {replyPattern: \"ab\"}}"));

    [Fact]
    public void Check_ReplyLengthsWithoutRequireReply_Warn() => Assert.Equal(
        [
            "topology.yaml:6:36: warning: services[0].healthCheck.udp.minReplyLength: minReplyLength has no effect without requireReply: true",
            "topology.yaml:6:55: warning: services[0].healthCheck.udp.maxReplyLength: maxReplyLength has no effect without requireReply: true",
        ],
        Findings("{type: udp, udp: {minReplyLength: 1, maxReplyLength: 2}}"));

    [Fact]
    public void Check_MinAboveMax_ReportsAtTheMinimum() => Assert.Equal(
        ["topology.yaml:6:72: error: services[0].healthCheck.udp.minReplyLength: minReplyLength 300 is greater than maxReplyLength 255, so no reply can pass"],
        Findings("{type: udp, udp: {requireReply: true, minReplyLength: 300}}"));

    [Fact]
    public void Check_MinAboveMaxWithoutRequireReply_OnlyWarns() => Assert.Equal(
        ["topology.yaml:6:36: warning: services[0].healthCheck.udp.minReplyLength: minReplyLength has no effect without requireReply: true"],
        Findings("{type: udp, udp: {minReplyLength: 300}}"));

    [Fact]
    public void Check_CodeBuiltLengthsBeyondADatagram_Report() => Assert.Equal(
        [
            // The file has no udp mapping, so the findings fall back to the check.
            "topology.yaml:6:18: error: services[0].healthCheck.udp.minReplyLength: minReplyLength -1 is outside 0..65527 (a UDP datagram carries at most 65527 bytes)",
            "topology.yaml:6:18: error: services[0].healthCheck.udp.maxReplyLength: maxReplyLength 65535 is outside 0..65527 (a UDP datagram carries at most 65527 bytes)",
        ],
        ValidateChangedCheck("{type: udp}", c => c with { Udp = new UdpCheck(null, true, null, -1, 65535) }, Code));

    [Fact]
    public void Check_CodeBuiltPayloadBeyondADatagram_Reports() => Assert.Equal(
        ["topology.yaml:6:18: error: services[0].healthCheck.udp.payload: the payload is 65528 bytes; a UDP datagram carries at most 65527"],
        ValidateChangedCheck("{type: udp}", c => c with { Udp = UdpCheck.Default with { Payload = new string('a', 2 * 65528) } }, Code));

    [Fact]
    public void Check_SettingsOnAnotherKind_AreLeftToTheSettingsRule() => Assert.Empty(
        ValidateChangedCheck("{type: tcp}", c => c with { Udp = UdpCheck.Default with { Payload = "zz" } }, Code));
}
