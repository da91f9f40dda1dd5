using System.Net;
using System.Net.Sockets;
using Reconciler.Ipvs;
using Reconciler.KernelTests.Infrastructure;

namespace Reconciler.KernelTests.Linux;

/// <summary>Hundreds of random services and real servers through our client, compared with ipvsadm -Sn; then random
/// edits and deletions, compared again.</summary>
public sealed class IpvsRandomRoundTripTests
{
    private static readonly string[] Schedulers = ["rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "mh"];

    [Theory]
    [InlineData(20251125)]
    [InlineData(42)]
    public void RandomTable_CreatedEditedAndPruned_MatchesIpvsadmEachTime(int seed)
    {
        var random = new Random(seed);
        using var space = LabNamespace.Create();
        using var client = space.OpenClient();
        var table = new Dictionary<ServiceKey, (IpvsService Service, Dictionary<(IPAddress, ushort), IpvsDestination> Destinations)>();
        var operations = new List<IpvsOperation>();
        for (int i = 0; i < 300; i++)
        {
            var service = RandomService(random, i);
            var destinations = new Dictionary<(IPAddress, ushort), IpvsDestination>();
            operations.Add(new AddService(service));
            int count = random.Next(0, 7);
            for (int j = 0; j < count; j++)
            {
                var destination = RandomDestination(random, service.Key, i, j);
                destinations[(destination.Address, destination.Port)] = destination;
                operations.Add(new AddDestination(service.Key, destination));
            }

            table[service.Key] = (service, destinations);
        }

        AssertApplied(client.Execute(operations));
        Compare(space, client, table);

        var edits = new List<IpvsOperation>();
        foreach (var key in table.Keys.ToList())
        {
            var (service, destinations) = table[key];
            switch (random.Next(6))
            {
                case 0:
                    edits.Add(new DeleteService(key));
                    table.Remove(key);
                    continue;
                case 1:
                    var changed = RandomService(random, 0) is var fresh ? service with { Scheduler = fresh.Scheduler, Flags = Compatible(fresh, key), TimeoutSeconds = fresh.TimeoutSeconds, Netmask = NetmaskFor(fresh, key) } : service;
                    edits.Add(new UpdateService(changed));
                    service = changed;
                    break;
                default:
                    break;
            }

            foreach (var endpoint in destinations.Keys.ToList())
            {
                var destination = destinations[endpoint];
                switch (random.Next(4))
                {
                    case 0:
                        edits.Add(new DeleteDestination(key, destination.Address, destination.Port));
                        destinations.Remove(endpoint);
                        break;
                    case 1:
                        var (upper, lower) = Thresholds(random);
                        var edited = destination with { Weight = random.Next(0, 1000), UpperThreshold = upper, LowerThreshold = lower };
                        edits.Add(new UpdateDestination(key, edited));
                        destinations[endpoint] = edited;
                        break;
                    default:
                        break;
                }
            }

            table[key] = (service, destinations);
        }

        AssertApplied(client.Execute(edits));
        Compare(space, client, table);
    }

    private static void AssertApplied(IReadOnlyList<IpvsOperationResult> results)
    {
        var failures = results.Where(r => r.Error is not null).Select(r => r.Error!.Message).ToList();
        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(10)));
    }

    private static void Compare(LabNamespace space, IIpvsClient client, Dictionary<ServiceKey, (IpvsService Service, Dictionary<(IPAddress, ushort), IpvsDestination> Destinations)> table)
    {
        var model = table.Values.Select(v => TableAssert.Entry(v.Service, v.Destinations.Values)).ToList();
        Assert.Equal(IpvsadmFormat.Save(model), space.Save());
        TableAssert.Equal(model, client.GetAll());
        var settingsOnly = client.GetAll(withStatistics: false);
        TableAssert.Equal(model, settingsOnly);
        Assert.All(settingsOnly, entry => Assert.True(ReferenceEquals(IpvsStats.Zero, entry.Entry.Stats) && entry.Destinations.All(d => ReferenceEquals(IpvsStats.Zero, d.Stats))));
    }

    private static IpvsService RandomService(Random random, int index)
    {
        bool v6 = random.Next(4) == 0;
        var family = v6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        ServiceKey key = random.Next(8) switch
        {
            0 => ServiceKey.ForFirewallMark(family, (uint)(index + 1)),
            1 => ServiceKey.ForAddress(IpvsProtocol.Sctp, Address(v6, 1, index), (ushort)random.Next(1, 65536)),
            2 or 3 => ServiceKey.ForAddress(IpvsProtocol.Udp, Address(v6, 1, index), (ushort)random.Next(1, 65536)),
            _ => ServiceKey.ForAddress(IpvsProtocol.Tcp, Address(v6, 1, index), (ushort)random.Next(1, 65536)),
        };
        string scheduler = Schedulers[random.Next(Schedulers.Length)];
        var flags = IpvsServiceFlags.None;
        uint timeout = 0;
        uint netmask = v6 ? 128u : 0xffffffff;
        if (random.Next(3) == 0)
        {
            flags |= IpvsServiceFlags.Persistent;
            timeout = (uint)random.Next(1, 86400);
            netmask = v6 ? (uint)random.Next(64, 129) : uint.MaxValue << random.Next(0, 25);
        }

        if (key.Protocol == IpvsProtocol.Udp && random.Next(3) == 0)
        {
            flags |= IpvsServiceFlags.OnePacket;
        }

        if (scheduler is "sh" or "mh")
        {
            flags |= (IpvsServiceFlags)(random.Next(4) << 3);
        }

        return new IpvsService(key, scheduler, flags, timeout, netmask, null);
    }

    private static IpvsServiceFlags Compatible(IpvsService fresh, ServiceKey key) =>
        key.Protocol == IpvsProtocol.Udp ? fresh.Flags : fresh.Flags & ~IpvsServiceFlags.OnePacket;

    private static uint NetmaskFor(IpvsService fresh, ServiceKey key)
    {
        bool v6 = key.Family == AddressFamily.InterNetworkV6;
        if (!fresh.IsPersistent)
        {
            return v6 ? 128u : 0xffffffff;
        }

        bool freshV6 = fresh.Key.Family == AddressFamily.InterNetworkV6;
        return v6 == freshV6 ? fresh.Netmask : v6 ? 96u : 0xffffff00;
    }

    private static IpvsDestination RandomDestination(Random random, ServiceKey service, int serviceIndex, int index)
    {
        bool v6 = service.Family == AddressFamily.InterNetworkV6;
        var address = Address(v6, 2, (serviceIndex * 8) + index);
        var (upper, lower) = Thresholds(random);
        int weight = random.Next(5) == 0 ? random.Next(0, 65536) : random.Next(0, 100);
        switch (random.Next(3))
        {
            case 0:
                return new IpvsDestination(address, (ushort)random.Next(1, 65536), IpvsForwarding.Masquerade, weight, upper, lower);
            case 1:
                return new IpvsDestination(address, service.Port, IpvsForwarding.DirectRoute, weight, upper, lower);
            default:
                var type = (IpvsTunnelType)random.Next(3);
                ushort port = type == IpvsTunnelType.Gue ? (ushort)random.Next(1, 65536) : (ushort)0;
                var flags = type == IpvsTunnelType.Ipip ? IpvsTunnelFlags.None : (IpvsTunnelFlags)random.Next(3);
                return new IpvsDestination(address, service.Port, IpvsForwarding.Tunnel, weight, upper, lower, type, port, flags);
        }
    }

    private static (uint Upper, uint Lower) Thresholds(Random random)
    {
        if (random.Next(3) != 0)
        {
            return (0, 0);
        }

        uint upper = (uint)random.Next(1, 100000);
        return (upper, (uint)random.Next(0, (int)upper + 1));
    }

    /// <summary>10.{block}.x.y or 2001:db8:{block}::x, unique per index.</summary>
    private static IPAddress Address(bool v6, int block, int index) => v6
        ? IPAddress.Parse($"2001:db8:{block}::{index + 1:x}")
        : new IPAddress([10, (byte)block, (byte)((index + 1) >> 8), (byte)((index + 1) & 0xff)]);
}
