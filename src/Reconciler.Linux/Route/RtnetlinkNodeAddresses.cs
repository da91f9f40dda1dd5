using Reconciler.Planning.Execution;
using Reconciler.Planning.Observed;
using Reconciler.Topology.Model;

namespace Reconciler.Linux.Route;

/// <summary>
/// The planner's <see cref="INodeAddresses"/> over rtnetlink: every interface address of the node (or of the
/// network namespace it was opened in), with idempotent add and remove. Interface names are resolved on each call,
/// so a renamed or re-created link is picked up.
/// </summary>
public sealed class RtnetlinkNodeAddresses : INodeAddresses, IDisposable
{
    private readonly RtnetlinkClient _client;
    private readonly bool _ownsClient;

    public RtnetlinkNodeAddresses(RtnetlinkClient client)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
    }

    private RtnetlinkNodeAddresses(RtnetlinkClient client, bool ownsClient)
        : this(client)
    {
        _ownsClient = ownsClient;
    }

    /// <summary>Opens a client of its own in the process's namespace or in <paramref name="networkNamespacePath"/>.</summary>
    public static RtnetlinkNodeAddresses Open(string? networkNamespacePath = null, TimeSpan? timeout = null) =>
        new(RtnetlinkClient.Open(networkNamespacePath, timeout), ownsClient: true);

    public RtnetlinkClient Client => _client;

    public IReadOnlyList<ObservedAddress> GetAddresses()
    {
        var names = _client.GetLinks().ToDictionary(l => l.Index, l => l.Name);
        return _client.GetAddresses()
            .Select(a => new ObservedAddress(names.TryGetValue(a.InterfaceIndex, out var name) ? name : "if" + a.InterfaceIndex, a.Address))
            .ToList();
    }

    public void Add(string interfaceName, InterfaceAddress address) => _client.AddAddress(_client.GetInterfaceIndex(interfaceName), address);

    public void Remove(string interfaceName, InterfaceAddress address)
    {
        var link = _client.GetLink(interfaceName);
        if (link is not null)
        {
            _client.DeleteAddress(link.Index, address);
        }
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }
}
