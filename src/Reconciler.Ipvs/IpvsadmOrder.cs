using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Reconciler.Ipvs;

/// <summary>
/// The order ipvsadm lists services and real servers in: libipvs's ipvs_cmp_services / ipvs_cmp_dests run through
/// glibc's merge sort. The comparisons subtract unsigned values into a signed int, as the C code does, so addresses
/// more than 2^31 apart compare "wrapped" (10.0.0.5 sorts after 192.0.2.99); this reproduces that exactly.
/// </summary>
public static class IpvsadmOrder
{
    public static IReadOnlyList<ServiceWithDestinations> Sort(IReadOnlyList<ServiceWithDestinations> table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var services = MergeSort(table, static (a, b) => CompareServices(a.Service.Key, b.Service.Key));
        for (int i = 0; i < services.Length; i++)
        {
            var entry = services[i];
            services[i] = entry with { Destinations = MergeSort(entry.Destinations, static (a, b) => CompareDestinations(a.Destination, b.Destination)) };
        }

        return services;
    }

    /// <summary>ipvs_cmp_services: fwmark, family, protocol, address (by 32-bit words), port.</summary>
    public static int CompareServices(ServiceKey a, ServiceKey b)
    {
        int r = unchecked((int)(a.FirewallMark - b.FirewallMark));
        if (r != 0)
        {
            return r;
        }

        r = Family(a.Family) - Family(b.Family);
        if (r != 0)
        {
            return r;
        }

        r = (ushort)a.Protocol - (ushort)b.Protocol;
        if (r != 0)
        {
            return r;
        }

        r = CompareAddresses(a.Address, b.Address, a.Family);
        return r != 0 ? r : a.Port - b.Port;
    }

    /// <summary>ipvs_cmp_dests: family, address (by 32-bit words), port.</summary>
    public static int CompareDestinations(IpvsDestination a, IpvsDestination b)
    {
        int r = Family(a.Address.AddressFamily) - Family(b.Address.AddressFamily);
        if (r != 0)
        {
            return r;
        }

        r = CompareAddresses(a.Address, b.Address, a.Address.AddressFamily);
        return r != 0 ? r : a.Port - b.Port;
    }

    private static int Family(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? 10 : 2;

    private static int CompareAddresses(IPAddress? a, IPAddress? b, AddressFamily family)
    {
        Span<byte> left = stackalloc byte[16];
        Span<byte> right = stackalloc byte[16];
        left.Clear();
        right.Clear();
        a?.TryWriteBytes(left, out _);
        b?.TryWriteBytes(right, out _);
        int words = family == AddressFamily.InterNetworkV6 ? 4 : 1;
        int r = 0;
        for (int i = 0; r == 0 && i < words; i++)
        {
            r = unchecked((int)(BinaryPrimitives.ReadUInt32BigEndian(left[(i * 4)..]) - BinaryPrimitives.ReadUInt32BigEndian(right[(i * 4)..])));
        }

        return r;
    }

    /// <summary>glibc's msort: split n/2 | n - n/2, sort both halves, merge taking the left one while cmp &lt;= 0.</summary>
    private static T[] MergeSort<T>(IReadOnlyList<T> items, Func<T, T, int> compare)
    {
        var array = items.ToArray();
        var scratch = new T[array.Length];
        Sort(array, scratch, 0, array.Length, compare);
        return array;
    }

    private static void Sort<T>(T[] array, T[] scratch, int start, int count, Func<T, T, int> compare)
    {
        if (count <= 1)
        {
            return;
        }

        int n1 = count / 2;
        int n2 = count - n1;
        Sort(array, scratch, start, n1, compare);
        Sort(array, scratch, start + n1, n2, compare);
        int left = start;
        int right = start + n1;
        int end = start + count;
        int output = 0;
        while (left < start + n1 && right < end)
        {
            scratch[output++] = compare(array[left], array[right]) <= 0 ? array[left++] : array[right++];
        }

        while (left < start + n1)
        {
            scratch[output++] = array[left++];
        }

        Array.Copy(scratch, 0, array, start, output);
    }
}
