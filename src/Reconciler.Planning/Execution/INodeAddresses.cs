using Reconciler.Planning.Observed;
using Reconciler.Topology.Model;

namespace Reconciler.Planning.Execution;

/// <summary>The node's interface addresses (rtnetlink on Linux). Adding an address that is there, or removing
/// one that is not, is not an error.</summary>
public interface INodeAddresses
{
    IReadOnlyList<ObservedAddress> GetAddresses();

    void Add(string interfaceName, InterfaceAddress address);

    void Remove(string interfaceName, InterfaceAddress address);
}

/// <summary>For nodes and commands that manage no addresses (plan/apply of IPVS alone): sees none, adds none.</summary>
public sealed class NoNodeAddresses : INodeAddresses
{
    public static NoNodeAddresses Instance { get; } = new();

    private NoNodeAddresses()
    {
    }

    public IReadOnlyList<ObservedAddress> GetAddresses() => [];

    public void Add(string interfaceName, InterfaceAddress address) =>
        throw new InvalidOperationException($"no address manager: cannot add {address} to {interfaceName}");

    public void Remove(string interfaceName, InterfaceAddress address) =>
        throw new InvalidOperationException($"no address manager: cannot remove {address} from {interfaceName}");
}
