using System.Buffers.Binary;
using Reconciler.Ipvs;
using Reconciler.Linux.Ipvs;
using Reconciler.Linux.Netlink;

namespace Reconciler.Linux.Tests.Ipvs;

/// <summary>Rebuilds the table from a captured listing: the service dump, then each destination dump, matched to
/// the service its GET_DEST request named (by sequence number).</summary>
internal static class CapturedTable
{
    public static List<ServiceWithDestinations> Decode(CapturedExchange exchange)
    {
        var services = new List<ServiceEntry>();
        var destinations = new Dictionary<ServiceKey, List<DestinationEntry>>();
        var requestedService = new Dictionary<uint, ServiceKey>();
        foreach (var datagram in exchange.Datagrams)
        {
            var reader = new NetlinkMessageReader(datagram.Bytes);
            while (reader.TryRead(out var message))
            {
                if (message.Header.Type != CapturedExchange.IpvsFamilyId)
                {
                    continue;
                }

                byte command = message.GenericCommand;
                if (datagram.Sent && command == 8)
                {
                    requestedService[message.Header.Sequence] = IpvsMessageDecoder.ReadServiceMessage(message).Service.Key;
                }
                else if (!datagram.Sent && command == 1)
                {
                    var entry = IpvsMessageDecoder.ReadServiceMessage(message);
                    if (!services.Exists(s => s.Service.Key == entry.Service.Key))
                    {
                        services.Add(entry);
                    }
                }
                else if (!datagram.Sent && command == 5)
                {
                    var key = requestedService[message.Header.Sequence];
                    if (!destinations.TryGetValue(key, out var list))
                    {
                        destinations[key] = list = [];
                    }

                    list.Add(IpvsMessageDecoder.ReadDestinationMessage(message, key.Family));
                }
            }
        }

        return services
            .Select(s => new ServiceWithDestinations(s, destinations.TryGetValue(s.Service.Key, out var list) ? list : []))
            .ToList();
    }

    public static uint Sequence(byte[] datagram) => BinaryPrimitives.ReadUInt32LittleEndian(datagram.AsSpan(8));

    public static uint PortId(byte[] datagram) => BinaryPrimitives.ReadUInt32LittleEndian(datagram.AsSpan(12));
}
