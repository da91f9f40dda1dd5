namespace Reconciler.GitSource.Source;

/// <summary>Exponential backoff after consecutive failures to reach the server: <see cref="Initial"/>, doubled each
/// time, capped at <see cref="Max"/> (defaults 5 s .. 5 min, the same order as Argo CD's self-heal backoff).</summary>
public sealed record BackoffPolicy(TimeSpan Initial, double Factor, TimeSpan Max)
{
    public static BackoffPolicy Default { get; } = new(TimeSpan.FromSeconds(5), 2, TimeSpan.FromMinutes(5));

    /// <summary>The delay after the <paramref name="failures"/>-th consecutive failure (1-based).</summary>
    public TimeSpan DelayAfter(int failures)
    {
        if (failures <= 0)
        {
            return TimeSpan.Zero;
        }

        var seconds = Initial.TotalSeconds * Math.Pow(Factor, Math.Min(failures - 1, 62));
        return seconds >= Max.TotalSeconds ? Max : TimeSpan.FromSeconds(seconds);
    }
}
