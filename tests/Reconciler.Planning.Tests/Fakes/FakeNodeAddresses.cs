using Reconciler.Planning.Execution;
using Reconciler.Planning.Observed;
using Reconciler.Topology.Model;

namespace Reconciler.Planning.Tests.Fakes;

/// <summary>An in-memory interface address table: a unit-test seam; rtnetlink is proven in the lab.</summary>
internal sealed class FakeNodeAddresses : INodeAddresses
{
    public List<ObservedAddress> Addresses { get; } = [];

    public IReadOnlyList<ObservedAddress> GetAddresses() => Addresses.ToList();

    public void Add(string interfaceName, InterfaceAddress address)
    {
        if (!Addresses.Any(a => a.Interface == interfaceName && a.Address.Address.Equals(address.Address)))
        {
            Addresses.Add(new ObservedAddress(interfaceName, address));
        }
    }

    public void Remove(string interfaceName, InterfaceAddress address) =>
        Addresses.RemoveAll(a => a.Interface == interfaceName && a.Address.Address.Equals(address.Address));
}
