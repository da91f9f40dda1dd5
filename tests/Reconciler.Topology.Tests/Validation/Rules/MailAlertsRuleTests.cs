using Reconciler.Topology.Model;
using static Reconciler.Topology.Tests.Validation.ValidationHelpers;

namespace Reconciler.Topology.Tests.Validation.Rules;

public sealed class MailAlertsRuleTests
{
    private const string Code = "mail-alerts";

    private static readonly MailAlerts Mail = new("relay", 25, null, ["ops@example.test"], null, MailAlerts.DefaultConnectTimeout, true, true);

    [Fact]
    public void Check_PlainAddresses_AreQuiet() => Assert.Empty(
        LoadFindings(Samples.SeedYaml + "mail: {server: relay, from: lb@example.test, to: [ops@example.test], heloName: lb1.example.test}\n", Code));

    [Theory]
    [InlineData("ops@example.test\r\nRCPT TO:<x@y>", "'ops@example.test\\u000D\\u000ARCPT TO:<x@y>'")]
    [InlineData("ops", "'ops'")]
    [InlineData("<ops@example.test>", "'<ops@example.test>'")]
    [InlineData("ops @example.test", "'ops @example.test'")]
    public void Check_RecipientNotAnAddress_Reports(string recipient, string shown) => Assert.Equal(
        [$"topology.yaml:1:1: error: mail.to[0]: recipient {shown} is not an address like ops@example.com (one word of printable ASCII with an @, no angle brackets)"],
        ValidateChangedSeed(t => t with { Mail = Mail with { To = [recipient] } }, Code));

    [Fact]
    public void Check_SenderNotAnAddress_Reports() => Assert.Equal(
        ["topology.yaml:1:1: error: mail.from: sender 'lb1' is not an address like lb@example.com (one word of printable ASCII with an @, no angle brackets)"],
        ValidateChangedSeed(t => t with { Mail = Mail with { From = "lb1" } }, Code));

    [Fact]
    public void Check_NotifyAsksForMailWithoutAMailBlock_ReportsAtTheFlag() => Assert.Equal(
        ["topology.yaml:20:20: error: vrrpInstances[0].notify.mail: mail is on but the topology has no top-level mail block (server, to): nothing would be sent"],
        LoadFindings(Samples.SeedYaml.Replace("    trackChecks: [{check: nginx}]\n", "    trackChecks: [{check: nginx}]\n    notify: {mail: true}\n", StringComparison.Ordinal), Code));

    [Fact]
    public void Check_NotifyAsksForMailWithAMailBlock_IsQuiet() => Assert.Empty(ValidateChangedSeed(
        t => t.WithInstance(i => i with { Notify = new VrrpNotify(null, null, null, null, null, null) { Mail = true } }) with { Mail = Mail }, Code));
}
