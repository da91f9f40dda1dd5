using System.Globalization;

namespace Reconciler.Bench.Report;

/// <summary>What a report was measured on: the host (read here) and the lab guest (as its driver wrote it).</summary>
internal sealed record Machine(int Cores, string Model, string Kernel, GuestMachine? Guest)
{
    public static Machine OfHost(GuestMachine? guest)
    {
        var cpuinfo = File.Exists("/proc/cpuinfo") ? File.ReadAllLines("/proc/cpuinfo") : [];
        var cores = cpuinfo.Count(l => l.StartsWith("processor", StringComparison.Ordinal));
        return new Machine(cores > 0 ? cores : Environment.ProcessorCount, ModelName(cpuinfo), ReadTrimmed("/proc/sys/kernel/osrelease"), guest);
    }

    public static string ModelName(IEnumerable<string> cpuinfo) =>
        cpuinfo.FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) is { } line ? line[(line.IndexOf(':') + 1)..].Trim() : "unknown";

    private static string ReadTrimmed(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : "unknown";
}

/// <summary>The lab guest: from <c>environment.txt</c> (key=value lines) the in-guest driver writes.</summary>
internal sealed record GuestMachine(int Cpus, string Model, string Kernel, long MemoryMegabytes, string Emulation)
{
    public static GuestMachine? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var values = KeyValues.Read(path);
        var model = values.GetValueOrDefault("model", "unknown");
        var emulation = model.Contains("TCG", StringComparison.Ordinal) ? "software emulation (qemu TCG)"
            : values.GetValueOrDefault("hypervisor", "") is { Length: > 0 } hypervisor ? "hardware virtualization (" + hypervisor + ")"
            : "unknown";
        return new GuestMachine(
            int.TryParse(values.GetValueOrDefault("cpus"), CultureInfo.InvariantCulture, out var cpus) ? cpus : 0,
            model,
            values.GetValueOrDefault("kernel", "unknown"),
            long.TryParse(values.GetValueOrDefault("memory_mb"), CultureInfo.InvariantCulture, out var memory) ? memory : 0,
            emulation);
    }
}

/// <summary>key=value lines, as the shell scripts write them.</summary>
internal static class KeyValues
{
    public static Dictionary<string, string> Read(string path) =>
        File.Exists(path)
            ? File.ReadLines(path)
                .Select(l => l.Split('=', 2))
                .Where(p => p.Length == 2)
                .GroupBy(p => p[0].Trim(), StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Last()[1].Trim(), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
}
