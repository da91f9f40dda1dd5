namespace Reconciler.KernelTests.Vrrp;

/// <summary>
/// <c>ip -o monitor address dev eth0</c> in a namespace: the kernel's own record of every address added to and
/// deleted from the interface, in the order it happened (one stream, so the order is exact even when two
/// processes' timestamps are not). Subscribed before the constructor returns: a marker address is added and
/// removed, and both events must have arrived.
/// </summary>
public sealed class AddressMonitor : IDisposable
{
    private const string Marker = "10.77.254.254";
    private readonly LabProcess _process;

    public AddressMonitor(string space)
    {
        _process = LabProcess.Start(space, "ip", "-o", "monitor", "address", "dev", "eth0");
        // The monitor subscribes some time after its process starts: probe with a marker address until its event shows.
        var deadline = DateTimeOffset.UtcNow + VrrpLan.StartTimeout;
        while (!Events(Marker).Any())
        {
            if (DateTimeOffset.UtcNow > deadline || _process.HasExited)
            {
                _process.Dispose();
                throw new TimeoutException($"address monitor in {space} never reported the marker address; output:\n{_process.Output}");
            }

            VrrpLan.Ip(space, "addr", "replace", Marker + "/32", "dev", "eth0");
            VrrpLan.Ip(space, "addr", "del", Marker + "/32", "dev", "eth0");
            var probe = DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(500);
            while (!Events(Marker).Any() && DateTimeOffset.UtcNow < probe)
            {
                Thread.Sleep(20);
            }
        }
    }

    /// <summary>The events for <paramref name="address"/> so far, oldest first: true for added, false for deleted.</summary>
    public IReadOnlyList<bool> Events(string address) => _process.Lines
        .Select(l => l.Line)
        .Where(l => l.Contains(" inet " + address + "/", StringComparison.Ordinal) || l.Contains(" inet6 " + address + "/", StringComparison.Ordinal))
        .Select(l => !l.StartsWith("Deleted", StringComparison.Ordinal))
        .ToList();

    /// <summary>Waits until the events for <paramref name="address"/> end with <paramref name="added"/>; returns them all.</summary>
    public IReadOnlyList<bool> WaitForEvent(string address, bool added, TimeSpan timeout)
    {
        _process.WaitForLine(
            line => (line.Contains(" inet " + address + "/", StringComparison.Ordinal) || line.Contains(" inet6 " + address + "/", StringComparison.Ordinal))
                && line.StartsWith("Deleted", StringComparison.Ordinal) != added,
            (added ? "added " : "deleted ") + address,
            timeout);
        return Events(address);
    }

    public string Output => _process.Output;

    public void Dispose() => _process.Dispose();
}
