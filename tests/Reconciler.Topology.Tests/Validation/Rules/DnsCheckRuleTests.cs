using Reconciler.Topology.Model;
using static Reconciler.Topology.Tests.Validation.ValidationHelpers;

namespace Reconciler.Topology.Tests.Validation.Rules;

public sealed class DnsCheckRuleTests
{
    private const string Code = "dns-check";

    private static string[] Findings(string check) => LoadFindings(Samples.WithCheck(check), Code);

    [Theory]
    [InlineData("{type: dns}")]
    [InlineData("{type: dns, dns: {}}")]
    [InlineData("{type: dns, dns: {type: a, name: www.example.com}}")]
    [InlineData("{type: dns, dns: {type: DnsKey, name: example.com.}}")]
    [InlineData("{type: dns, dns: {type: rrsig, name: .}}")]
    public void Check_QueriesTheProbeAsks_AreQuiet(string check) => Assert.Empty(Findings(check));

    [Fact]
    public void Check_EmptyLabel_ReportsAtTheName() => Assert.Equal(
        ["topology.yaml:6:42: error: services[0].healthCheck.dns.name: name 'www..example.com' has an empty label"],
        Findings("{type: dns, dns: {name: www..example.com}}"));

    [Fact]
    public void Check_LeadingDot_ReportsAnEmptyLabel() => Assert.Equal(
        ["topology.yaml:6:42: error: services[0].healthCheck.dns.name: name '.example.com' has an empty label"],
        Findings("{type: dns, dns: {name: .example.com}}"));

    [Fact]
    public void Check_LabelOf64_Reports() => Assert.Equal(
        [$"topology.yaml:6:42: error: services[0].healthCheck.dns.name: name '{new string('a', 64)}.com' has a label longer than 63 characters"],
        Findings($"{{type: dns, dns: {{name: {new string('a', 64)}.com}}}}"));

    [Fact]
    public void Check_NonAsciiName_Reports() => Assert.Equal(
        ["topology.yaml:6:42: error: services[0].healthCheck.dns.name: name 'bücher.example' is not ASCII"],
        Findings("{type: dns, dns: {name: bücher.example}}"));

    [Fact]
    public void Check_NameOf254_Reports()
    {
        // Four labels of 63 and their dots are 255 characters; three and one of 61 are 253, the most a name holds.
        var longest = string.Join('.', new string('a', 63), new string('b', 63), new string('c', 63), new string('d', 61));

        Assert.Empty(Findings($"{{type: dns, dns: {{name: {longest}}}}}"));
        Assert.Empty(Findings($"{{type: dns, dns: {{name: {longest}.}}}}"));
        Assert.Equal(
            [$"topology.yaml:6:42: error: services[0].healthCheck.dns.name: name '{longest}d' is longer than 255 octets"],
            Findings($"{{type: dns, dns: {{name: {longest}d}}}}"));
    }

    [Fact]
    public void Check_CodeBuiltUnknownType_Reports() => Assert.Equal(
        ["topology.yaml:6:42: error: services[0].healthCheck.dns.type: 'SRV' is not a query type DNS_CHECK knows (A, NS, CNAME, SOA, MX, TXT, AAAA, RRSIG, DNSKEY)"],
        ValidateChangedCheck("{type: dns, dns: {type: A}}", c => c with { Dns = new DnsCheck("SRV", ".") }, Code));

    [Fact]
    public void Check_CodeBuiltEmptyName_Reports() => Assert.Equal(
        ["topology.yaml:6:18: error: services[0].healthCheck.dns.name: name '' has an empty label"],
        ValidateChangedCheck("{type: dns}", c => c with { Dns = new DnsCheck("SOA", string.Empty) }, Code));
}
