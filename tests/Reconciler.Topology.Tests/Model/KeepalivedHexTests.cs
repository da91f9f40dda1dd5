using Reconciler.Topology.Model;

namespace Reconciler.Topology.Tests.Model;

public sealed class KeepalivedHexTests
{
    [Fact]
    public void TryParse_ManPageExample_GivesItsOctets()
    {
        // keepalived.conf(5): "Ab12f 3 456 546443123 would be interpreted as AB 12 0F 03 45 06 54 64 43 12 03".
        Assert.True(KeepalivedHex.TryParse("Ab12f 3 456 546443123", false, out var bytes, out var mask, out var error));

        Assert.Null(error);
        Assert.Equal(Convert.FromHexString("AB120F0345065464431203"), bytes);
        Assert.Equal(new byte[bytes.Length], mask);
    }

    [Theory]
    [InlineData("00", "00")]
    [InlineData("7", "07")]
    [InlineData("  de ad\tbe ef  ", "DEADBEEF")]
    [InlineData("123", "1203")]
    [InlineData("ffFF", "FFFF")]
    public void TryParse_Forms_GiveOctets(string text, string hex)
    {
        Assert.True(KeepalivedHex.TryParse(text, false, out var bytes, out _, out _));

        Assert.Equal(Convert.FromHexString(hex), bytes);
    }

    [Fact]
    public void TryParse_WildcardsAllowed_MaskTheirNibbles()
    {
        Assert.True(KeepalivedHex.TryParse("1x X2 xx x", true, out var bytes, out var mask, out _));

        Assert.Equal(Convert.FromHexString("10020000"), bytes);
        Assert.Equal(Convert.FromHexString("0FF0FF0F"), mask);
    }

    [Theory]
    [InlineData("", false, "no hex digits")]
    [InlineData("   ", false, "no hex digits")]
    [InlineData("12 g4", false, "'g' at position 4 is not a hex digit")]
    [InlineData("1x", false, "'x' at position 2 is not a hex digit")]
    [InlineData("0x12", false, "'x' at position 2 is not a hex digit")]
    [InlineData("1y", true, "'y' at position 2 is neither a hex digit nor x")]
    public void TryParse_NotHex_FailsSayingWhere(string text, bool wildcards, string expected)
    {
        Assert.False(KeepalivedHex.TryParse(text, wildcards, out var bytes, out _, out var error));

        Assert.Equal(expected, error);
        Assert.Empty(bytes);
    }

    [Fact]
    public void TryParse_LongerThanSixteenBits_Fails()
    {
        var text = new string('a', (KeepalivedHex.MaxBytes + 1) * 2);

        Assert.False(KeepalivedHex.TryParse(text, false, out _, out _, out var error));
        Assert.Equal("longer than 65535 bytes", error);
        Assert.True(KeepalivedHex.TryParse(text[2..], false, out var bytes, out _, out _));
        Assert.Equal(KeepalivedHex.MaxBytes, bytes.Length);
    }

    [Theory]
    [InlineData("01 02 03", "010203", true, -1)]
    [InlineData("01 02 03", "0102", true, -1)] // a shorter reply is compared over its own length
    [InlineData("01 02", "01020304", true, -1)] // a longer reply over the pattern's
    [InlineData("01 02 03", "010299", false, 2)]
    [InlineData("01 x2 03", "01F203", true, -1)]
    [InlineData("01 x2 03", "01F303", false, 1)]
    [InlineData("xx xx", "ABCD", true, -1)]
    public void Matches_OverTheShorter_WithWildcards(string pattern, string reply, bool expected, int at)
    {
        Assert.True(KeepalivedHex.TryParse(pattern, true, out var bytes, out var mask, out _));

        Assert.Equal(expected, KeepalivedHex.Matches(Convert.FromHexString(reply), bytes, mask, out var mismatchAt));
        Assert.Equal(at, mismatchAt);
    }

    [Fact]
    public void Matches_EmptyReply_MatchesAnyPattern()
    {
        // keepalived compares min(reply, pattern) octets: none. Its min_reply_length is what rejects it.
        Assert.True(KeepalivedHex.Matches([], [1, 2], [0, 0], out _));
    }
}
