using System.IO.Compression;
using System.Text.Json;
using Reconciler.Planning.Plans;
using Reconciler.Planning.Serialization;

namespace Reconciler.Agent.Engine;

/// <summary>
/// The plan the agent executed last, for <c>/plan</c>, in <c>plan --json</c>'s form. A plan of up to
/// <see cref="KeptStepsLimit"/> steps is kept as it is; a larger one (the first apply of a big table: 110,000 steps at
/// 10,000 x 10, tens of MB of objects) is kept as its gzip-compressed JSON, a few MB, which is also what <c>/plan</c>
/// sends to a client that accepts gzip.
/// </summary>
public sealed class ExecutedPlan
{
    /// <summary>Plans with more steps than this are kept compressed.</summary>
    public const int KeptStepsLimit = 10_000;

    private readonly Plan? _plan;
    private readonly byte[]? _compressedJson;

    private ExecutedPlan(DateTimeOffset time, int steps, Plan? plan, byte[]? compressedJson)
    {
        Time = time;
        Steps = steps;
        _plan = plan;
        _compressedJson = compressedJson;
    }

    public DateTimeOffset Time { get; }

    public int Steps { get; }

    /// <summary>Whether the plan is kept as compressed JSON (see <see cref="Compact"/>).</summary>
    public bool IsCompressed => _compressedJson is not null;

    public static ExecutedPlan Of(DateTimeOffset time, Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new ExecutedPlan(time, plan.Steps.Count, plan, null);
    }

    /// <summary>This plan as it is kept for good: itself up to <see cref="KeptStepsLimit"/> steps, else compressed.</summary>
    public ExecutedPlan Compact()
    {
        if (_plan is null || _plan.Steps.Count <= KeptStepsLimit)
        {
            return this;
        }

        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            JsonSerializer.Serialize(gzip, _plan, PlanningJsonContext.Default.Plan);
        }

        return new ExecutedPlan(Time, Steps, null, buffer.ToArray());
    }

    /// <summary>Writes the plan's JSON to <paramref name="destination"/>: compressed when it is kept so and
    /// <paramref name="gzip"/> (the client accepts it; the caller then says so in Content-Encoding), else plain.</summary>
    public async Task WriteJsonAsync(Stream destination, bool gzip, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (_plan is not null)
        {
            await JsonSerializer.SerializeAsync(destination, _plan, PlanningJsonContext.Default.Plan, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (gzip)
        {
            await destination.WriteAsync(_compressedJson, cancellationToken).ConfigureAwait(false);
            return;
        }

        await using var plain = new GZipStream(new MemoryStream(_compressedJson!), CompressionMode.Decompress);
        await plain.CopyToAsync(destination, cancellationToken).ConfigureAwait(false);
    }
}
