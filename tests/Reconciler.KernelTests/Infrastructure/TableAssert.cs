using Reconciler.Ipvs;

namespace Reconciler.KernelTests.Infrastructure;

/// <summary>Compares tables by settings (not counters), in ipvsadm's order.</summary>
public static class TableAssert
{
    public static void Equal(IReadOnlyList<ServiceWithDestinations> expected, IReadOnlyList<ServiceWithDestinations> actual)
    {
        var left = IpvsadmOrder.Sort(expected);
        var right = IpvsadmOrder.Sort(actual);
        Assert.Equal(left.Select(s => s.Service), right.Select(s => s.Service));
        for (int i = 0; i < left.Count; i++)
        {
            Assert.Equal(left[i].Destinations.Select(d => d.Destination), right[i].Destinations.Select(d => d.Destination));
        }
    }

    public static ServiceWithDestinations Entry(IpvsService service, params IEnumerable<IpvsDestination> destinations) => new(
        new ServiceEntry(service, IpvsStats.Zero),
        destinations.Select(d => new DestinationEntry(d, 0, 0, 0, IpvsStats.Zero)).ToList());

    /// <summary>The operations that create <paramref name="table"/> from empty.</summary>
    public static List<IpvsOperation> Creating(IEnumerable<ServiceWithDestinations> table)
    {
        var operations = new List<IpvsOperation>();
        foreach (var entry in table)
        {
            operations.Add(new AddService(entry.Service));
            operations.AddRange(entry.Destinations.Select(d => (IpvsOperation)new AddDestination(entry.Service.Key, d.Destination)));
        }

        return operations;
    }
}
