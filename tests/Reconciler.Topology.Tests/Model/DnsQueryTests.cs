using Reconciler.Topology.Model;

namespace Reconciler.Topology.Tests.Model;

public sealed class DnsQueryTests
{
    [Theory]
    [InlineData("A", 1)]
    [InlineData("ns", 2)]
    [InlineData("Cname", 5)]
    [InlineData("SOA", 6)]
    [InlineData("mx", 15)]
    [InlineData("TXT", 16)]
    [InlineData("aaaa", 28)]
    [InlineData("RRSIG", 46)]
    [InlineData("dnskey", 48)]
    public void TryGetType_KeepalivedsTypesInAnyCase_GivesTheirNumber(string name, int expected)
    {
        Assert.True(DnsQuery.TryGetType(name, out var type));
        Assert.Equal(expected, type);
    }

    [Theory]
    [InlineData("SRV")]
    [InlineData("ANY")]
    [InlineData("")]
    [InlineData(" A")]
    public void TryGetType_Others_AreRefused(string name) => Assert.False(DnsQuery.TryGetType(name, out _));

    [Theory]
    [InlineData(".")]
    [InlineData("com")]
    [InlineData("www.example.com")]
    [InlineData("www.example.com.")]
    [InlineData("_sip._udp.example.com")]
    public void NameError_NamesThatMakeAQuestion_IsNull(string name) => Assert.Null(DnsQuery.NameError(name));

    [Theory]
    [InlineData("", "name '' has an empty label")]
    [InlineData("..", "name '..' has an empty label")]
    [InlineData("a..b", "name 'a..b' has an empty label")]
    [InlineData(".a", "name '.a' has an empty label")]
    [InlineData("é.a", "name 'é.a' is not ASCII")]
    public void NameError_Malformed_SaysWhy(string name, string expected) => Assert.Equal(expected, DnsQuery.NameError(name));

    [Fact]
    public void NameError_Lengths_AreRfc1035s()
    {
        var label63 = new string('a', 63);
        var name253 = string.Join('.', label63, label63, label63, new string('b', 61));

        Assert.Null(DnsQuery.NameError(label63));
        Assert.Equal($"name '{label63}a' has a label longer than 63 characters", DnsQuery.NameError(label63 + "a"));
        Assert.Null(DnsQuery.NameError(name253));
        Assert.Null(DnsQuery.NameError(name253 + "."));
        Assert.Equal($"name '{name253}b' is longer than 255 octets", DnsQuery.NameError(name253 + "b"));
    }
}
