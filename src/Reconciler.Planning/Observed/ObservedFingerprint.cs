using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Reconciler.Ipvs;

namespace Reconciler.Planning.Observed;

/// <summary>
/// A digest of the settings in an observed state (not its counters): a saved plan remembers the fingerprint of
/// the state it was computed against and is applied only while the kernel still has the same one. Independent of
/// the order the kernel lists things in; computed over a binary encoding in one pass (the agent's periodic no-op
/// reconcile pays for it): services and destinations are sorted on keys computed once each, and the encoding is
/// written into one buffer that is hashed whenever it fills.
/// </summary>
public static class ObservedFingerprint
{
    private const int BufferSize = 16 * 1024;

    // The largest record: a service key with an IPv6 address, three u32, two texts of up to 64 UTF-16 units.
    private const int MaxRecord = 10 + 17 + 12 + (2 * (1 + (64 * 3)));

    public static string Of(ObservedState state)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[BufferSize];
        var length = 0;

        var services = state.Services;
        var serviceOrder = new SortKey[services.Count];
        for (var i = 0; i < serviceOrder.Length; i++)
        {
            serviceOrder[i] = SortKey.Of(services[i].Service.Key, i);
        }

        serviceOrder.AsSpan().Sort();
        var destinationOrder = new SortKey[16];
        foreach (var serviceKey in serviceOrder)
        {
            var service = services[serviceKey.Index];
            length = Reserve(hash, buffer, length);
            length += Write(buffer.AsSpan(length), service.Service, serviceKey);

            var destinations = service.Destinations;
            if (destinations.Count > destinationOrder.Length)
            {
                destinationOrder = new SortKey[Math.Max(destinations.Count, destinationOrder.Length * 2)];
            }

            var order = destinationOrder.AsSpan(0, destinations.Count);
            for (var i = 0; i < order.Length; i++)
            {
                order[i] = SortKey.Of(destinations[i].Destination, i);
            }

            order.Sort();
            foreach (var destinationKey in order)
            {
                length = Reserve(hash, buffer, length);
                length += Write(buffer.AsSpan(length), destinations[destinationKey.Index].Destination, destinationKey);
            }
        }

        hash.AppendData(buffer, 0, length);
        foreach (var address in state.Addresses.Select(a => $"A {a.Interface} {a.Address}").Order(StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(address + "\n"));
        }

        foreach (var (name, value) in state.Sysctls.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"S {name} {value}\n"));
        }

        foreach (var daemon in state.SyncDaemons.OrderBy(d => d.State))
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"D {daemon.State} {daemon.MulticastInterface} {daemon.SyncId} {daemon.SyncMaxLength} {daemon.MulticastGroup} {daemon.MulticastPort} {daemon.MulticastTtl}\n"));
        }

        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Hashes what the buffer holds when the next record might not fit; returns the new fill.</summary>
    private static int Reserve(IncrementalHash hash, byte[] buffer, int length)
    {
        if (length <= buffer.Length - MaxRecord)
        {
            return length;
        }

        hash.AppendData(buffer, 0, length);
        return 0;
    }

    private static int Write(Span<byte> buffer, IpvsService s, SortKey sortKey)
    {
        var length = WriteKey(buffer, s.Key, sortKey);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[length..], (uint)(s.Flags & ~IpvsServiceFlags.Hashed));
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[(length + 4)..], s.TimeoutSeconds);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[(length + 8)..], s.Netmask);
        length += 12;
        length += WriteText(buffer[length..], s.Scheduler);
        length += WriteText(buffer[length..], s.PersistenceEngine ?? "");
        return length;
    }

    private static int Write(Span<byte> buffer, IpvsDestination d, SortKey sortKey)
    {
        buffer[0] = (byte)'D';
        var length = 1 + WriteAddress(buffer[1..], sortKey);
        BinaryPrimitives.WriteUInt16LittleEndian(buffer[length..], d.Port);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[(length + 2)..], (uint)d.Forwarding);
        BinaryPrimitives.WriteInt32LittleEndian(buffer[(length + 6)..], d.Weight);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[(length + 10)..], d.UpperThreshold);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[(length + 14)..], d.LowerThreshold);
        buffer[length + 18] = (byte)d.TunnelType;
        BinaryPrimitives.WriteUInt16LittleEndian(buffer[(length + 19)..], d.TunnelPort);
        BinaryPrimitives.WriteUInt16LittleEndian(buffer[(length + 21)..], (ushort)d.TunnelFlags);
        return length + 23;
    }

    private static int WriteKey(Span<byte> buffer, ServiceKey key, SortKey sortKey)
    {
        buffer[0] = (byte)'S';
        buffer[1] = (byte)key.Family;
        BinaryPrimitives.WriteUInt16LittleEndian(buffer[2..], (ushort)key.Protocol);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[4..], key.FirewallMark);
        BinaryPrimitives.WriteUInt16LittleEndian(buffer[8..], key.Port);
        var length = 10;
        if (key.Address is not null)
        {
            length += WriteAddress(buffer[length..], sortKey);
        }

        return length;
    }

    /// <summary>The address as its length then its bytes, from the sort key (which read them once already).</summary>
    private static int WriteAddress(Span<byte> buffer, SortKey sortKey)
    {
        var length = sortKey.AddressRank;
        buffer[0] = (byte)length;
        if (length == 16)
        {
            BinaryPrimitives.WriteUInt128BigEndian(buffer[1..], sortKey.Address);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(buffer[1..], (uint)sortKey.Address);
        }

        return length + 1;
    }

    private static int WriteText(Span<byte> buffer, string text)
    {
        var written = Encoding.UTF8.GetBytes(text.AsSpan(0, Math.Min(text.Length, 64)), buffer[1..]);
        buffer[0] = (byte)written;
        return written + 1;
    }

    /// <summary>
    /// Where a service or destination goes in the digest, computed once per object: services by family, mark,
    /// protocol, address, port; destinations by address, port. An address sorts by length (IPv4 first, none last),
    /// then by its bytes; the position in the list breaks ties, so equal keys keep the order they came in.
    /// </summary>
    private readonly record struct SortKey(int Family, uint FirewallMark, ushort Protocol, int AddressRank, UInt128 Address, ushort Port, int Index)
        : IComparable<SortKey>
    {
        public static SortKey Of(ServiceKey key, int index)
        {
            var (rank, address) = AddressKey(key.Address);
            return new SortKey((int)key.Family, key.FirewallMark, (ushort)key.Protocol, rank, address, key.Port, index);
        }

        public static SortKey Of(IpvsDestination destination, int index)
        {
            var (rank, address) = AddressKey(destination.Address);
            return new SortKey(0, 0, 0, rank, address, destination.Port, index);
        }

        public int CompareTo(SortKey other)
        {
            var order = Family.CompareTo(other.Family);
            order = order != 0 ? order : FirewallMark.CompareTo(other.FirewallMark);
            order = order != 0 ? order : Protocol.CompareTo(other.Protocol);
            order = order != 0 ? order : AddressRank.CompareTo(other.AddressRank);
            order = order != 0 ? order : Address.CompareTo(other.Address);
            order = order != 0 ? order : Port.CompareTo(other.Port);
            return order != 0 ? order : Index.CompareTo(other.Index);
        }

        /// <summary>Rank: the byte length (4 or 16), none after every length; value: the bytes as a big-endian number,
        /// which orders addresses of one length as their bytes do, and is what the digest encodes.</summary>
        private static (int Rank, UInt128 Value) AddressKey(IPAddress? address)
        {
            if (address is null)
            {
                return (int.MaxValue, UInt128.Zero);
            }

            Span<byte> bytes = stackalloc byte[16];
            address.TryWriteBytes(bytes, out var written);
            return written == 16 ? (16, BinaryPrimitives.ReadUInt128BigEndian(bytes)) : (4, BinaryPrimitives.ReadUInt32BigEndian(bytes));
        }
    }
}
