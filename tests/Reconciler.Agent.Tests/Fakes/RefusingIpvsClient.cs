using System.Net;
using Reconciler.Ipvs;

namespace Reconciler.Agent.Tests.Fakes;

/// <summary>
/// The fake kernel with a refusal seam: an operation that <see cref="Refuses"/> matches fails with EPERM in a batch
/// (the kernel's per-operation error) and leaves the table unchanged; everything else goes to the inner client.
/// </summary>
internal sealed class RefusingIpvsClient(IIpvsClient inner) : IIpvsClient
{
    private const int Eperm = 1;

    /// <summary>Which operations the kernel refuses; null refuses none.</summary>
    public Func<IpvsOperation, bool>? Refuses { get; set; }

    public IReadOnlyList<IpvsOperationResult> Execute(IReadOnlyList<IpvsOperation> operations) =>
        operations.Select(o => Refuses?.Invoke(o) == true
            ? new IpvsOperationResult(o, new IpvsException(o.Describe(), Eperm, "Operation not permitted"))
            : inner.Execute([o])[0]).ToList();

    public IpvsInfo GetInfo() => inner.GetInfo();

    public IReadOnlyList<ServiceWithDestinations> GetAll() => inner.GetAll();

    public IReadOnlyList<ServiceEntry> GetServices() => inner.GetServices();

    public ServiceEntry? GetService(ServiceKey key) => inner.GetService(key);

    public IReadOnlyList<DestinationEntry> GetDestinations(ServiceKey service) => inner.GetDestinations(service);

    public void AddService(IpvsService service) => inner.AddService(service);

    public void UpdateService(IpvsService service) => inner.UpdateService(service);

    public void DeleteService(ServiceKey key) => inner.DeleteService(key);

    public void AddDestination(ServiceKey service, IpvsDestination destination) => inner.AddDestination(service, destination);

    public void UpdateDestination(ServiceKey service, IpvsDestination destination) => inner.UpdateDestination(service, destination);

    public void DeleteDestination(ServiceKey service, IPAddress address, ushort port) => inner.DeleteDestination(service, address, port);

    public void Flush() => inner.Flush();

    public IpvsTimeouts GetTimeouts() => inner.GetTimeouts();

    public void SetTimeouts(IpvsTimeouts timeouts) => inner.SetTimeouts(timeouts);

    public IReadOnlyList<IpvsSyncDaemon> GetSyncDaemons() => inner.GetSyncDaemons();

    public void StartSyncDaemon(IpvsSyncDaemon daemon) => inner.StartSyncDaemon(daemon);

    public void StopSyncDaemon(IpvsSyncDaemonState state) => inner.StopSyncDaemon(state);

    public void Dispose()
    {
    }
}
