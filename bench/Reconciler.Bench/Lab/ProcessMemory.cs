using System.Globalization;

namespace Reconciler.Bench.Lab;

/// <summary>Resident memory of a process as the kernel reports it in <c>/proc/PID/status</c>: now (VmRSS) and at its
/// peak (VmHWM), and of the resident size what is anonymous (RssAnon: heaps, stacks) and what are file pages (RssFile:
/// the executable and libraries as far as they were read), in bytes.</summary>
internal readonly record struct ProcessMemory(long Resident, long Peak, long Anonymous, long FilePages)
{
    public static ProcessMemory Of(int pid)
    {
        long rss = 0, hwm = 0, anonymous = 0, file = 0;
        foreach (var line in File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line) * 1024;
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                hwm = Kilobytes(line) * 1024;
            }
            else if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
            {
                anonymous = Kilobytes(line) * 1024;
            }
            else if (line.StartsWith("RssFile:", StringComparison.Ordinal))
            {
                file = Kilobytes(line) * 1024;
            }
        }

        return new ProcessMemory(rss, hwm, anonymous, file);
    }

    /// <summary>The processes' memory added up (keepalived: the parent and its checker child).</summary>
    public static ProcessMemory Sum(IEnumerable<int> pids) =>
        pids.Select(Of).Aggregate(new ProcessMemory(0, 0, 0, 0),
            (a, b) => new ProcessMemory(a.Resident + b.Resident, a.Peak + b.Peak, a.Anonymous + b.Anonymous, a.FilePages + b.FilePages));

    public static string Command(int pid) => File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/comm").Trim();

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
