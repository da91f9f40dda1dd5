using System.Globalization;

namespace Reconciler.Bench.Lab;

/// <summary>
/// A throwaway network namespace named <see cref="Name"/> for one node of a benchmark: <c>lo</c> up, a dummy link
/// <c>d0</c> with the node's address and a default route through it (IPVS refuses real servers without a route).
/// Disposing it kills every process left in it and deletes it, IPVS table included.
/// </summary>
internal sealed class LabNamespace : IDisposable
{
    public LabNamespace(string prefix, string address = "10.0.0.1/16")
    {
        if (!File.Exists("/proc/net/ip_vs"))
        {
            throw new InvalidOperationException("no /proc/net/ip_vs: run this in the lab guest (tests/lab/run.sh)");
        }

        Name = prefix + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        Shell.Run("ip", null, "netns", "add", Name);
        Shell.Run("ip", $"link set lo up\nlink add d0 type dummy\nlink set d0 up\naddr add {address} dev d0\nroute add default dev d0\n",
            "-n", Name, "-batch", "-");
    }

    public string Name { get; }

    /// <summary>The namespace's file, for <see cref="Linux.Ipvs.IpvsNetlinkClient.Open"/>.</summary>
    public string Path => "/run/netns/" + Name;

    public (string Output, double Seconds) Run(params string[] arguments) => Shell.RunIn(Name, arguments);

    /// <summary>The processes whose network namespace this is (<c>ip netns pids</c>).</summary>
    public IReadOnlyList<int> Pids() =>
        Shell.Run("ip", null, "netns", "pids", Name).Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => int.Parse(p, CultureInfo.InvariantCulture))
            .ToList();

    public void Dispose()
    {
        foreach (var pid in Pids())
        {
            Shell.TryRun("kill", null, "-KILL", pid.ToString(CultureInfo.InvariantCulture));
        }

        Shell.TryRun("ip", null, "netns", "del", Name);
    }
}
