using System.Net;
using Reconciler.Ipvs;

namespace Reconciler.Planning.Tests.Fakes;

/// <summary>
/// A map-backed stand-in for the kernel's IPVS table with the kernel's error semantics (EEXIST, ESRCH, ENOENT),
/// used as a seam in unit tests only; the real client is proven against the real kernel in the lab.
/// Counts write requests the way the netlink client sends them: one per operation.
/// </summary>
internal sealed class FakeIpvsClient : IIpvsClient
{
    private const int Enoent = 2;
    private const int Esrch = 3;
    private const int Eexist = 17;

    private static readonly HashSet<string> Schedulers = ["rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "mh", "twos"];

    private readonly List<(IpvsService Service, List<DestinationEntry> Destinations)> _services = [];
    private readonly List<IpvsSyncDaemon> _daemons = [];

    public int WriteRequests { get; private set; }

    /// <summary>When set, the client "dies" (throws) once this many write requests have been handled.</summary>
    public int? CrashAfterWrites { get; set; }

    public void Seed(IEnumerable<ServiceWithDestinations> services)
    {
        foreach (var service in services)
        {
            _services.Add((service.Service, service.Destinations.ToList()));
        }
    }

    public void SetConnections(ServiceKey service, IPAddress address, ushort port, uint active, uint inactive)
    {
        var list = Find(service)!.Value.Destinations;
        var index = list.FindIndex(d => d.Destination.Address.Equals(address) && d.Destination.Port == port);
        list[index] = list[index] with { ActiveConnections = active, InactiveConnections = inactive };
    }

    public IpvsInfo GetInfo() => new(0x010201, 4096);

    /// <summary>How many whole-table reads (dumps) were asked for.</summary>
    public int Dumps { get; private set; }

    public IReadOnlyList<ServiceWithDestinations> GetAll()
    {
        Dumps++;
        return _services.Select(s => new ServiceWithDestinations(new ServiceEntry(s.Service, IpvsStats.Zero), s.Destinations.ToList())).ToList();
    }

    public IReadOnlyList<ServiceEntry> GetServices() => _services.Select(s => new ServiceEntry(s.Service, IpvsStats.Zero)).ToList();

    public ServiceEntry? GetService(ServiceKey key) => Find(key) is { } s ? new ServiceEntry(s.Service, IpvsStats.Zero) : null;

    public IReadOnlyList<DestinationEntry> GetDestinations(ServiceKey service) =>
        Find(service)?.Destinations.ToList() ?? throw new IpvsException($"list real servers of {service}", Esrch, "No such process");

    public void AddService(IpvsService service) => Throw(Apply(new AddService(service)));

    public void UpdateService(IpvsService service) => Throw(Apply(new UpdateService(service)));

    public void DeleteService(ServiceKey key) => Throw(Apply(new DeleteService(key)));

    public void AddDestination(ServiceKey service, IpvsDestination destination) => Throw(Apply(new AddDestination(service, destination)));

    public void UpdateDestination(ServiceKey service, IpvsDestination destination) => Throw(Apply(new UpdateDestination(service, destination)));

    public void DeleteDestination(ServiceKey service, IPAddress address, ushort port) => Throw(Apply(new DeleteDestination(service, address, port)));

    public IReadOnlyList<IpvsOperationResult> Execute(IReadOnlyList<IpvsOperation> operations) =>
        operations.Select(o => new IpvsOperationResult(o, Apply(o))).ToList();

    public void Flush() => _services.Clear();

    public IpvsTimeouts GetTimeouts() => new(900, 120, 300);

    public void SetTimeouts(IpvsTimeouts timeouts)
    {
    }

    /// <summary>Sync daemons as the kernel lists them: the defaults a start request left out filled in (the message
    /// length as for a 1500-byte MTU).</summary>
    public IReadOnlyList<IpvsSyncDaemon> GetSyncDaemons() => _daemons.OrderBy(d => d.State).ToList();

    public void StartSyncDaemon(IpvsSyncDaemon daemon)
    {
        WriteRequests++;
        if (_daemons.Any(d => d.State == daemon.State))
        {
            throw new IpvsException($"start IPVS sync daemon {daemon.State} on {daemon.MulticastInterface}", Eexist, "File exists");
        }

        _daemons.Add(daemon with
        {
            SyncMaxLength = daemon.SyncMaxLength ?? 1472,
            MulticastGroup = daemon.MulticastGroup ?? IPAddress.Parse("224.0.0.81"),
            MulticastPort = daemon.MulticastPort ?? 8848,
            MulticastTtl = daemon.MulticastTtl ?? 1,
        });
    }

    public void StopSyncDaemon(IpvsSyncDaemonState state)
    {
        WriteRequests++;
        if (_daemons.RemoveAll(d => d.State == state) == 0)
        {
            throw new IpvsException($"stop IPVS sync daemon {state}", Esrch, "No such process");
        }
    }

    public void Dispose()
    {
    }

    private static void Throw(IpvsException? error)
    {
        if (error is not null)
        {
            throw error;
        }
    }

    private static IpvsException Error(IpvsOperation operation, int errno, string text) => new(operation.Describe(), errno, text);

    private (IpvsService Service, List<DestinationEntry> Destinations)? Find(ServiceKey key)
    {
        var index = _services.FindIndex(s => s.Service.Key == key);
        return index < 0 ? null : _services[index];
    }

    private IpvsException? Apply(IpvsOperation operation)
    {
        if (CrashAfterWrites is { } limit && WriteRequests >= limit)
        {
            throw new IOException("simulated crash of the process in the middle of an apply");
        }

        WriteRequests++;
        switch (operation)
        {
            case AddService add:
                if (Find(add.Service.Key) is not null)
                {
                    return Error(operation, Eexist, "File exists");
                }

                if (!Schedulers.Contains(add.Service.Scheduler))
                {
                    return Error(operation, Enoent, "No such file or directory");
                }

                _services.Add((add.Service, []));
                return null;
            case UpdateService update:
            {
                var index = _services.FindIndex(s => s.Service.Key == update.Service.Key);
                if (index < 0)
                {
                    return Error(operation, Esrch, "No such process");
                }

                _services[index] = (update.Service, _services[index].Destinations);
                return null;
            }

            case DeleteService delete:
            {
                var index = _services.FindIndex(s => s.Service.Key == delete.Key);
                if (index < 0)
                {
                    return Error(operation, Esrch, "No such process");
                }

                _services.RemoveAt(index);
                return null;
            }

            case AddDestination addDestination:
            {
                if (Find(addDestination.Service) is not { } service)
                {
                    return Error(operation, Esrch, "No such process");
                }

                if (service.Destinations.Any(d => Same(d.Destination, addDestination.Destination.Address, addDestination.Destination.Port)))
                {
                    return Error(operation, Eexist, "File exists");
                }

                service.Destinations.Add(new DestinationEntry(addDestination.Destination, 0, 0, 0, IpvsStats.Zero));
                return null;
            }

            case UpdateDestination updateDestination:
            {
                if (Find(updateDestination.Service) is not { } service)
                {
                    return Error(operation, Esrch, "No such process");
                }

                var index = service.Destinations.FindIndex(d => Same(d.Destination, updateDestination.Destination.Address, updateDestination.Destination.Port));
                if (index < 0)
                {
                    return Error(operation, Enoent, "No such file or directory");
                }

                service.Destinations[index] = service.Destinations[index] with { Destination = updateDestination.Destination };
                return null;
            }

            case DeleteDestination deleteDestination:
            {
                if (Find(deleteDestination.Service) is not { } service)
                {
                    return Error(operation, Esrch, "No such process");
                }

                var removed = service.Destinations.RemoveAll(d => Same(d.Destination, deleteDestination.Address, deleteDestination.Port));
                return removed == 0 ? Error(operation, Enoent, "No such file or directory") : null;
            }

            default:
                throw new InvalidOperationException(operation.ToString());
        }
    }

    private static bool Same(IpvsDestination destination, IPAddress address, ushort port) => destination.Address.Equals(address) && destination.Port == port;
}
