using Microsoft.Extensions.Time.Testing;

namespace Reconciler.Health.Tests.Support;

internal static class Wait
{
    /// <summary>Polls in real time until <paramref name="condition"/> holds; fails after a generous bound.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what, double seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for {what}");
            }

            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Advances fake time in steps, letting the thread pool catch up after each.</summary>
    public static async Task AdvanceAsync(this FakeTimeProvider time, TimeSpan by, TimeSpan? step = null)
    {
        var size = step ?? TimeSpan.FromMilliseconds(100);
        var left = by;
        while (left > TimeSpan.Zero)
        {
            var now = left < size ? left : size;
            time.Advance(now);
            left -= now;
            await Task.Yield();
        }
    }
}
