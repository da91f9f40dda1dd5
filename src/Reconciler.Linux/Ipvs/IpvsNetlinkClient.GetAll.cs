using Reconciler.Ipvs;
using Reconciler.Linux.Netlink;

namespace Reconciler.Linux.Ipvs;

/// <summary>
/// The full listing. The kernel runs one dump at a time per socket (a second one is refused with EBUSY until the
/// first reaches NLMSG_DONE), so the per-service destination dumps are spread over a few extra sockets in the same
/// namespace, each read on its own thread.
/// </summary>
public sealed partial class IpvsNetlinkClient
{
    /// <summary>Below this many services the dumps run on the main socket only.</summary>
    private const int ParallelDumpThreshold = 64;

    private NetlinkConnection[]? _dumpConnections;

    public IReadOnlyList<ServiceWithDestinations> GetAll() => GetAll(withStatistics: true);

    public IReadOnlyList<ServiceWithDestinations> GetAll(bool withStatistics)
    {
        var services = GetServices(_connection, withStatistics);
        var destinations = new IReadOnlyList<DestinationEntry>[services.Count];
        int lanes = Math.Clamp(Environment.ProcessorCount, 1, 4);
        if (services.Count < ParallelDumpThreshold || lanes == 1)
        {
            for (int i = 0; i < services.Count; i++)
            {
                destinations[i] = GetDestinations(_connection, services[i].Service.Key, withStatistics);
            }
        }
        else
        {
            var connections = DumpConnections(lanes);
            Parallel.For(0, lanes, new ParallelOptions { MaxDegreeOfParallelism = lanes }, lane =>
            {
                for (int i = lane; i < services.Count; i += lanes)
                {
                    destinations[i] = GetDestinations(connections[lane], services[i].Service.Key, withStatistics);
                }
            });
        }

        var all = new ServiceWithDestinations[services.Count];
        for (int i = 0; i < all.Length; i++)
        {
            all[i] = new ServiceWithDestinations(services[i], destinations[i]);
        }

        return all;
    }

    private NetlinkConnection[] DumpConnections(int lanes)
    {
        if (_dumpConnections is null || _dumpConnections.Length != lanes)
        {
            DisposeDumpConnections();
            var connections = new NetlinkConnection[lanes];
            connections[0] = _connection;
            for (int i = 1; i < lanes; i++)
            {
                connections[i] = new NetlinkConnection(_connection.Protocol, _connection.NetworkNamespacePath, _connection.Timeout);
            }

            _dumpConnections = connections;
        }

        return _dumpConnections;
    }

    private void DisposeDumpConnections()
    {
        if (_dumpConnections is not null)
        {
            for (int i = 1; i < _dumpConnections.Length; i++)
            {
                _dumpConnections[i].Dispose();
            }

            _dumpConnections = null;
        }
    }
}
