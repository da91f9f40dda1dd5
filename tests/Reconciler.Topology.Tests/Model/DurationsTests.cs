namespace Reconciler.Topology.Tests.Model;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("100ms", 100)]
    [InlineData("1s", 1000)]
    [InlineData("1.5s", 1500)]
    [InlineData("5m", 300_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("0s", 0)]
    public void Parse_KnownForms_GivesMilliseconds(string text, long milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Durations.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("s")]
    [InlineData("1d")]
    [InlineData("-1s")]
    [InlineData("1s2")]
    public void TryParse_Malformed_Fails(string text) => Assert.False(Durations.TryParse(text, out _));

    [Theory]
    [InlineData(1000, "1s")]
    [InlineData(1500, "1500ms")]
    [InlineData(5_400_000, "1h30m")]
    [InlineData(100, "100ms")]
    public void Format_GivesShortestExactForm(long milliseconds, string expected) =>
        Assert.Equal(expected, Durations.Format(TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public void FormatThenParse_RoundTrips()
    {
        foreach (var ms in new long[] { 1, 10, 999, 1000, 61_000, 3_600_000, 3_723_000 })
        {
            var value = TimeSpan.FromMilliseconds(ms);
            Assert.Equal(value, Durations.Parse(Durations.Format(value)));
        }
    }
}
