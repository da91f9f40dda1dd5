using System.Diagnostics;

namespace Reconciler.Agent.Metrics;

/// <summary>
/// The process's own figures under the names Prometheus client libraries use (<c>process_*</c>), plus the .NET
/// heap: resident memory next to what the GC holds tells a leak (heap grows) from a high-water mark the runtime
/// has not given back (heap small, RSS large).
/// </summary>
public static class ProcessMetrics
{
    public static void WriteTo(PrometheusWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        using var process = Process.GetCurrentProcess();
        var gc = GC.GetGCMemoryInfo();
        writer.Family("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.")
            .Sample(process.WorkingSet64);
        writer.Family("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.")
            .Sample(process.TotalProcessorTime.TotalSeconds);
        writer.Family("process_start_time_seconds", "gauge", "Start time of the process since the Unix epoch in seconds.")
            .Sample(new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0);
        writer.Family("dotnet_gc_heap_size_bytes", "gauge", "Managed heap size after the last garbage collection.")
            .Sample(gc.HeapSizeBytes);
        writer.Family("dotnet_gc_committed_bytes", "gauge", "Memory the garbage collector has committed from the system.")
            .Sample(gc.TotalCommittedBytes);
        writer.Family("dotnet_gc_collections_total", "counter", "Garbage collections, by generation.")
            .Sample(GC.CollectionCount(0), ("generation", "0"))
            .Sample(GC.CollectionCount(1), ("generation", "1"))
            .Sample(GC.CollectionCount(2), ("generation", "2"));
    }
}
