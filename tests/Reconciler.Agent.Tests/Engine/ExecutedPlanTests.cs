using System.IO.Compression;
using System.Net;
using System.Text.Json;
using Reconciler.Agent.Engine;
using Reconciler.Ipvs;
using Reconciler.Planning.Plans;
using Reconciler.Planning.Serialization;

namespace Reconciler.Agent.Tests.Engine;

/// <summary>/plan gives the executed plan in <c>plan --json</c>'s form whether it is kept as it is or compressed.</summary>
public sealed class ExecutedPlanTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Compact_UpToTheLimit_KeptAsItIs()
    {
        var plan = Deletions(ExecutedPlan.KeptStepsLimit);

        var kept = ExecutedPlan.Of(At, plan).Compact();

        Assert.False(kept.IsCompressed);
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(plan, PlanningJsonContext.Default.Plan), await WriteAsync(kept, gzip: true));
    }

    [Fact]
    public async Task Compact_BeyondTheLimit_CompressedAndTheSameJson()
    {
        var plan = Deletions(ExecutedPlan.KeptStepsLimit + 1);
        var json = JsonSerializer.SerializeToUtf8Bytes(plan, PlanningJsonContext.Default.Plan);

        var kept = ExecutedPlan.Of(At, plan).Compact();

        Assert.True(kept.IsCompressed);
        Assert.Equal(ExecutedPlan.KeptStepsLimit + 1, kept.Steps);
        Assert.Equal(json, await WriteAsync(kept, gzip: false));
        var compressed = await WriteAsync(kept, gzip: true);
        Assert.True(compressed.Length < json.Length / 10, $"{compressed.Length} bytes compressed of {json.Length}");
        using var inflated = new MemoryStream();
        await new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress).CopyToAsync(inflated, TestContext.Current.CancellationToken);
        Assert.Equal(json, inflated.ToArray());
    }

    private static async Task<byte[]> WriteAsync(ExecutedPlan plan, bool gzip)
    {
        using var output = new MemoryStream();
        await plan.WriteJsonAsync(output, gzip, TestContext.Current.CancellationToken);
        return output.ToArray();
    }

    /// <summary>A plan deleting <paramref name="count"/> services (10.1.x.y:80), as a node leaving a big table would.</summary>
    private static Plan Deletions(int count) => new(
        "lb1",
        [.. Enumerable.Range(0, count).Select(i => new ServiceStep(
            StepAction.Delete,
            ServiceKey.ForAddress(IpvsProtocol.Tcp, new IPAddress([10, 1, (byte)(i / 256), (byte)(i % 256)]), 80),
            $"s{i}",
            null,
            [],
            false,
            "no longer in the topology"))],
        [],
        [],
        "fingerprint",
        "0123456789abcdef0123456789abcdef01234567");
}
