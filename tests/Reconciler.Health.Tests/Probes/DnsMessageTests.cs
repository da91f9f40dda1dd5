using Reconciler.Health.Probes;

namespace Reconciler.Health.Tests.Probes;

public sealed class DnsMessageTests
{
    [Theory]
    [InlineData("A", 1)]
    [InlineData("ns", 2)]
    [InlineData("CNAME", 5)]
    [InlineData("Soa", 6)]
    [InlineData("MX", 15)]
    [InlineData("TXT", 16)]
    [InlineData("AAAA", 28)]
    public void TryGetType_KeepalivedsNames_AnyCase(string name, int type)
    {
        Assert.True(DnsMessage.TryGetType(name, out var value));
        Assert.Equal(type, value);
    }

    [Fact]
    public void TryGetType_Unknown_False() => Assert.False(DnsMessage.TryGetType("PTR", out _));

    [Theory]
    [InlineData(".", "00" + "0006" + "0001")]
    [InlineData("example.test", "076578616D706C6504746573740000060001")]
    [InlineData("example.test.", "076578616D706C6504746573740000060001")]
    public void TryEncodeQuestion_Names_LabelsThenTypeAndClassIn(string name, string hex)
    {
        Assert.True(DnsMessage.TryEncodeQuestion(name, 6, out var question, out var error));

        Assert.Null(error);
        Assert.Equal(Convert.FromHexString(hex), question);
    }

    [Theory]
    [InlineData("", "name '' has an empty label")]
    [InlineData("a..b", "name 'a..b' has an empty label")]
    [InlineData(".a", "name '.a' has an empty label")]
    [InlineData("exämple.test", "name 'exämple.test' is not ASCII")]
    public void TryEncodeQuestion_BadNames_Refused(string name, string expected)
    {
        Assert.False(DnsMessage.TryEncodeQuestion(name, 1, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryEncodeQuestion_OverLimits_Refused()
    {
        var longLabel = new string('a', 64);
        var longName = string.Join('.', Enumerable.Repeat(new string('b', 63), 4)); // 4 * 64 + 1 = 257 octets

        Assert.False(DnsMessage.TryEncodeQuestion(longLabel, 1, out _, out var label));
        Assert.False(DnsMessage.TryEncodeQuestion(longName, 1, out _, out var name));
        Assert.True(DnsMessage.TryEncodeQuestion(longLabel[1..], 1, out _, out _));

        Assert.Equal($"name '{longLabel}' has a label longer than 63 characters", label);
        Assert.Equal($"name '{longName}' is longer than 255 octets", name);
    }

    [Fact]
    public void WriteQuery_HeaderWithIdAndRecursionDesiredThenTheQuestion()
    {
        Assert.True(DnsMessage.TryEncodeQuestion(".", 6, out var question, out _));
        var buffer = new byte[64];

        var length = DnsMessage.WriteQuery(buffer, 0xabcd, question);

        // id, flags RD, QDCOUNT 1, AN/NS/AR 0, root, SOA, IN.
        Assert.Equal(Convert.FromHexString("ABCD" + "0100" + "0001" + "0000" + "0000" + "0000" + "00" + "0006" + "0001"), buffer[..length]);
    }

    [Theory]
    [InlineData("ABCD81800001000100000000", "Answer", 0, 1)]
    [InlineData("ABCD81800001000200000000", "Answer", 0, 2)]
    [InlineData("ABCD81800001000000000000", "Answer", 0, 0)] // NOERROR without answers passes, as in keepalived
    [InlineData("ABCD81830001000000010000", "Error", 3, 0)]
    [InlineData("ABCD85850001000000000000", "Error", 5, 0)]
    [InlineData("ABCD81820001000000000000", "Error", 2, 0)]
    [InlineData("ABCE81800001000100000000", "OtherId", 0, 0)]
    [InlineData("ABCE81830001000000000000", "OtherId", 0, 0)] // another query's error does not count either
    [InlineData("ABCD01000001000000000000", "NotResponse", 0, 0)]
    [InlineData("ABCD818000010001000000", "TooShort", 0, 0)] // 11 bytes: less than a header
    [InlineData("", "TooShort", 0, 0)]
    public void Read_Datagrams_AsKeepalivedReadsThem(string hex, string kindName, int rcode, int answers)
    {
        var kind = Enum.Parse<DnsReplyKind>(kindName);
        var reply = DnsMessage.Read(Convert.FromHexString(hex), 0xabcd);

        Assert.Equal(new DnsReply(kind, rcode, answers), reply);
        Assert.Equal(kind is DnsReplyKind.TooShort or DnsReplyKind.OtherId or DnsReplyKind.NotResponse, reply.Ignored);
    }

    [Theory]
    [InlineData(2, "SERVFAIL")]
    [InlineData(3, "NXDOMAIN")]
    [InlineData(5, "REFUSED")]
    [InlineData(9, "RCODE9")]
    public void RcodeName_KnownAndOthers(int rcode, string name) => Assert.Equal(name, DnsMessage.RcodeName(rcode));
}
