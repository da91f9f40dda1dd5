using System.Diagnostics;
using Reconciler.Bench.Lab;
using Reconciler.Ipvs;

namespace Reconciler.Bench.Agent;

/// <summary>Waits for a namespace's IPVS table to hold a whole table, cheaply: the first and last services with all
/// their real servers (three small requests every 200 ms), then one full dump to confirm.</summary>
internal static class KernelTable
{
    /// <summary>Returns the seconds on <paramref name="since"/> when the table was seen complete (confirmed by a full dump).</summary>
    public static double WaitComplete(IIpvsClient client, IReadOnlyList<ServiceWithDestinations> table, Stopwatch since, TimeSpan timeout, LabProcess owner)
    {
        var deadline = since.Elapsed + timeout;
        while (since.Elapsed < deadline)
        {
            owner.ThrowIfExited();
            if (Holds(client, table[0]) && Holds(client, table[^1]))
            {
                var seen = since.Elapsed.TotalSeconds;
                if (IsComplete(client.GetAll(), table))
                {
                    return seen;
                }
            }

            Thread.Sleep(200);
        }

        throw new TimeoutException($"the table of {table.Count} services was not complete within {timeout.TotalSeconds:0} s; end of {owner.Log}:\n{LabProcess.Tail(owner.Log, 20)}");
    }

    public static bool IsComplete(IReadOnlyList<ServiceWithDestinations> listed, IReadOnlyList<ServiceWithDestinations> table) =>
        listed.Count == table.Count && listed.All(s => s.Destinations.Count == table[0].Destinations.Count);

    private static bool Holds(IIpvsClient client, ServiceWithDestinations entry) =>
        client.GetService(entry.Service.Key) is not null && client.GetDestinations(entry.Service.Key).Count == entry.Destinations.Count;
}
