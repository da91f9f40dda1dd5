using Reconciler.Agent.Metrics;

namespace Reconciler.Agent.Tests.Metrics;

public sealed class ProcessMetricsTests
{
    [Fact]
    public void WriteTo_ThisProcess_StrictExpositionWithPlausibleValues()
    {
        var keep = new byte[8 << 20]; // 8 MB live on the heap
        GC.Collect();
        var writer = new PrometheusWriter();

        ProcessMetrics.WriteTo(writer);
        var parsed = PrometheusText.Parse(writer.ToString());

        double Value(string name) => parsed[name].Samples.Single().Value;
        Assert.InRange(Value("dotnet_gc_heap_size_bytes"), keep.Length, Value("dotnet_gc_committed_bytes"));
        Assert.True(Value("process_resident_memory_bytes") > Value("dotnet_gc_heap_size_bytes"));
        Assert.True(Value("process_cpu_seconds_total") > 0);
        Assert.InRange(Value("process_start_time_seconds"), DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        Assert.Equal(["0", "1", "2"], parsed["dotnet_gc_collections_total"].Samples.Select(s => s.Labels["generation"]));
        Assert.True(parsed["dotnet_gc_collections_total"].Samples.Single(s => s.Labels["generation"] == "2").Value >= 1);
        GC.KeepAlive(keep);
    }
}
