using Reconciler.Agent.Hosting;

namespace Reconciler.Agent.Tests.Hosting;

/// <summary>Polls start one interval apart, whatever the poll itself took, and never back to back.</summary>
public sealed class AgentServicePollCadenceTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData(0, 15_000)]
    [InlineData(400, 14_600)]
    [InlineData(13_000, 2_000)]
    [InlineData(13_500, 1_500)] // exactly the floor
    [InlineData(14_000, 1_500)] // less than a tenth left: a tenth
    [InlineData(60_000, 1_500)] // a poll slower than the interval: the server still gets a rest
    public void NextPollDelay_StartToStart_WithATenthAsTheFloor(int pollTookMs, int expectedMs)
    {
        var delay = AgentService.NextPollDelay(Interval, TimeSpan.FromMilliseconds(pollTookMs));

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), delay);
    }
}
