using System.Net;
using System.Net.Sockets;
using Reconciler.Ipvs;
using Reconciler.Linux.Native;
using Reconciler.Linux.Netlink;
using static Reconciler.Linux.Ipvs.IpvsNetlink;

namespace Reconciler.Linux.Ipvs;

/// <summary>Services and destinations: read, write, and pipelined batches.</summary>
public sealed partial class IpvsNetlinkClient
{
    public IReadOnlyList<ServiceEntry> GetServices() => GetServices(_connection, withStatistics: true);

    public ServiceEntry? GetService(ServiceKey key)
    {
        var found = new List<ServiceEntry>(1);
        try
        {
            Send(
                $"get service {key}",
                (Key: key, Found: found),
                static (ref NetlinkMessageWriter writer, (ServiceKey Key, List<ServiceEntry> Found) state) =>
                {
                    writer.WriteGenericHeader(IPVS_CMD_GET_SERVICE, IPVS_GENL_VERSION);
                    IpvsMessageEncoder.WriteServiceKey(ref writer, state.Key);
                },
                static (reply, state) => state.Found.Add(IpvsMessageDecoder.ReadServiceMessage(reply)));
        }
        catch (IpvsException exception) when (exception.Errno == Errno.ESRCH)
        {
            return null;
        }

        return found.Count == 0 ? null : found[0];
    }

    public IReadOnlyList<DestinationEntry> GetDestinations(ServiceKey service) => GetDestinations(_connection, service, withStatistics: true);

    public void AddService(IpvsService service) => Apply(new AddService(service));

    public void UpdateService(IpvsService service) => Apply(new UpdateService(service));

    public void DeleteService(ServiceKey key) => Apply(new DeleteService(key));

    public void AddDestination(ServiceKey service, IpvsDestination destination) => Apply(new AddDestination(service, destination));

    public void UpdateDestination(ServiceKey service, IpvsDestination destination) => Apply(new UpdateDestination(service, destination));

    public void DeleteDestination(ServiceKey service, IPAddress address, ushort port) => Apply(new DeleteDestination(service, address, port));

    /// <summary>Pipelined: many requests a sendmsg, then their acks; each error attributed to its operation by
    /// sequence number. Never stops at the first error.</summary>
    public IReadOnlyList<IpvsOperationResult> Execute(IReadOnlyList<IpvsOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        if (operations.Count == 0)
        {
            return [];
        }

        ushort family = FamilyId;
        NetlinkError[] errors;
        try
        {
            errors = _connection.Pipeline(
                $"apply {operations.Count} IPVS operations",
                operations.Count,
                (operations, family),
                static (ref NetlinkMessageWriter writer, int index, (IReadOnlyList<IpvsOperation> Operations, ushort Family) state) =>
                {
                    IpvsMessageEncoder.Write(ref writer, state.Operations[index]);
                    return (state.Family, (ushort)0);
                });
        }
        catch (NetlinkException exception)
        {
            throw Translate($"apply {operations.Count} IPVS operations", exception);
        }

        var results = new IpvsOperationResult[operations.Count];
        for (int i = 0; i < results.Length; i++)
        {
            var operation = operations[i];
            results[i] = new IpvsOperationResult(operation, errors[i].IsAck ? null : Translate(operation.Describe(), errors[i]));
        }

        return results;
    }

    private void Apply(IpvsOperation operation) =>
        Send(operation.Describe(), operation, static (ref NetlinkMessageWriter writer, IpvsOperation state) => IpvsMessageEncoder.Write(ref writer, state));

    /// <summary>Dumps before a listing is taken as consistent; past them the table is changing faster than it can be
    /// read.</summary>
    private const int ServiceDumpAttempts = 8;

    /// <summary>
    /// The services, as one consistent picture. The kernel's service dump walks one table shared by every network
    /// namespace and resumes each part at a position counted over all of them, without NLM_F_DUMP_INTR. A service
    /// added or removed in any namespace between two parts shifts the positions, so the dump repeats or skips one of
    /// ours (ipvsadm has the same limit). A dump in one part is taken under the kernel's lock and stands; one in
    /// several parts stands when a second dump lists the same services in the same order.
    /// </summary>
    private List<ServiceEntry> GetServices(NetlinkConnection connection, bool withStatistics)
    {
        var services = new List<ServiceEntry>();
        if (DumpServices(connection, services, withStatistics) <= 1)
        {
            return services;
        }

        var again = new List<ServiceEntry>(services.Count);
        for (int attempt = 1; attempt < ServiceDumpAttempts; attempt++)
        {
            again.Clear();
            int parts = DumpServices(connection, again, withStatistics);
            if (SameKeysInOrder(services, again) && (parts <= 1 || HasNoRepeatedKey(again)))
            {
                return again;
            }

            (services, again) = (again, services);
        }

        throw new IpvsException(
            "list services",
            Errno.EAGAIN,
            $"the service table changed during each of {ServiceDumpAttempts} dumps (services added or removed in some network namespace while it was read)");
    }

    private int DumpServices(NetlinkConnection connection, List<ServiceEntry> services, bool withStatistics) => Dump(
        connection,
        "list services",
        (List: services, WithStatistics: withStatistics),
        static (ref NetlinkMessageWriter writer, (List<ServiceEntry> List, bool WithStatistics) _) => writer.WriteGenericHeader(IPVS_CMD_GET_SERVICE, IPVS_GENL_VERSION),
        static (reply, state) => state.List.Add(IpvsMessageDecoder.ReadServiceMessage(reply, state.WithStatistics)));

    private static bool SameKeysInOrder(List<ServiceEntry> first, List<ServiceEntry> second)
    {
        if (first.Count != second.Count)
        {
            return false;
        }

        for (int i = 0; i < first.Count; i++)
        {
            if (first[i].Service.Key != second[i].Service.Key)
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasNoRepeatedKey(List<ServiceEntry> services)
    {
        var seen = new HashSet<ServiceKey>(services.Count);
        foreach (var entry in services)
        {
            if (!seen.Add(entry.Service.Key))
            {
                return false;
            }
        }

        return true;
    }

    private List<DestinationEntry> GetDestinations(NetlinkConnection connection, ServiceKey service, bool withStatistics)
    {
        var destinations = new List<DestinationEntry>();
        ushort family = FamilyId;
        try
        {
            // The operation's name is built only on failure: a full listing runs this once per service.
            connection.Request(
                "list real servers",
                family,
                0,
                (Service: service, List: destinations, WithStatistics: withStatistics),
                static (ref NetlinkMessageWriter writer, (ServiceKey Service, List<DestinationEntry> List, bool WithStatistics) state) =>
                {
                    writer.WriteGenericHeader(IPVS_CMD_GET_DEST, IPVS_GENL_VERSION);
                    IpvsMessageEncoder.WriteServiceKey(ref writer, state.Service);
                },
                static (reply, state) => state.List.Add(IpvsMessageDecoder.ReadDestinationMessage(reply, state.Service.Family, state.WithStatistics)),
                dump: true);
        }
        catch (NetlinkException exception)
        {
            throw Translate($"list real servers of {service}", exception);
        }

        return destinations;
    }
}
