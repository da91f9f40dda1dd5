namespace Reconciler.Ipvs;

/// <summary>
/// The kernel's IPVS table in one network namespace. The Linux implementation speaks generic netlink;
/// unit tests use a map-backed fake. Every method throws <see cref="IpvsException"/> when the kernel refuses.
/// </summary>
public interface IIpvsClient : IDisposable
{
    IpvsInfo GetInfo();

    /// <summary>Every service with every destination (one service dump, then the destination dumps, pipelined).</summary>
    IReadOnlyList<ServiceWithDestinations> GetAll();

    /// <summary><see cref="GetAll()"/>, with the traffic counters left out (<see cref="IpvsStats.Zero"/>) unless
    /// <paramref name="withStatistics"/>: what a plan reads, settings and connection counts.</summary>
    IReadOnlyList<ServiceWithDestinations> GetAll(bool withStatistics) => GetAll();

    IReadOnlyList<ServiceEntry> GetServices();

    ServiceEntry? GetService(ServiceKey key);

    IReadOnlyList<DestinationEntry> GetDestinations(ServiceKey service);

    void AddService(IpvsService service);

    void UpdateService(IpvsService service);

    void DeleteService(ServiceKey key);

    void AddDestination(ServiceKey service, IpvsDestination destination);

    void UpdateDestination(ServiceKey service, IpvsDestination destination);

    void DeleteDestination(ServiceKey service, System.Net.IPAddress address, ushort port);

    /// <summary>Sends every operation before reading the acknowledgements; returns one result per operation, in order.
    /// It does not stop at the first error.</summary>
    IReadOnlyList<IpvsOperationResult> Execute(IReadOnlyList<IpvsOperation> operations);

    /// <summary>Deletes every service (ipvsadm -C).</summary>
    void Flush();

    IpvsTimeouts GetTimeouts();

    void SetTimeouts(IpvsTimeouts timeouts);

    IReadOnlyList<IpvsSyncDaemon> GetSyncDaemons();

    void StartSyncDaemon(IpvsSyncDaemon daemon);

    void StopSyncDaemon(IpvsSyncDaemonState state);
}
