using Reconciler.Topology.Model;
using static Reconciler.Topology.Tests.Validation.ValidationHelpers;

namespace Reconciler.Topology.Tests.Validation.Rules;

public sealed class SmtpCheckRuleTests
{
    private const string Code = "smtp-check";

    [Theory]
    [InlineData("{type: smtp}")]
    [InlineData("{type: smtp, smtp: {}}")]
    [InlineData("{type: smtp, smtp: {heloName: lb1.example.com}}")]
    [InlineData("{type: smtp, smtp: {heloName: \"[192.168.1.104]\"}}")]
    public void Check_HeloNamesTheProbeSends_AreQuiet(string check) => Assert.Empty(LoadFindings(Samples.WithCheck(check), Code));

    [Theory]
    [InlineData("lb1\r\nMAIL FROM:<x>", "'lb1\\u000D\\u000AMAIL FROM:<x>'")]
    [InlineData("lb1 example", "'lb1 example'")]
    [InlineData("lb1.bücher.example", "'lb1.b\\u00FCcher.example'")]
    [InlineData("", "''")]
    public void Check_CodeBuiltHeloName_NotOneAsciiWord_Reports(string name, string shown) => Assert.Equal(
        [$"topology.yaml:6:48: error: services[0].healthCheck.smtp.heloName: HELO name {shown} is not one word of printable ASCII (no blanks, line breaks or other control characters)"],
        ValidateChangedCheck("{type: smtp, smtp: {heloName: lb1}}", c => c with { Smtp = new SmtpCheck(name) }, Code));
}
