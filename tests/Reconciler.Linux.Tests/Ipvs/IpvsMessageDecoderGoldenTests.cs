using System.Net;
using System.Net.Sockets;
using Reconciler.Ipvs;
using Reconciler.Linux.Ipvs;
using Reconciler.Linux.Netlink;

namespace Reconciler.Linux.Tests.Ipvs;

/// <summary>Real kernel replies (and ipvsadm's requests, the mirror) decoded into the model.</summary>
public sealed class IpvsMessageDecoderGoldenTests
{
    public static TheoryData<string, IpvsService, bool> ServiceCommands() => CapturedModel.ServiceCommands();

    public static TheoryData<string, ServiceKey, IpvsDestination, bool> DestinationCommands() => CapturedModel.DestinationCommands();

    [Fact]
    public void CapturedListing_DecodesToTheTableIpvsadmBuilt()
    {
        var table = IpvsadmOrder.Sort(CapturedTable.Decode(CapturedExchange.Load("15")));
        var expected = CapturedModel.TableAt15();

        Assert.Equal(expected.Select(e => e.Service), table.Select(t => t.Service));
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Destinations, table[i].Destinations.Select(d => d.Destination));
        }
    }

    [Fact]
    public void CapturedListing_StripsHashedThatTheKernelReports()
    {
        byte[] reply = CapturedExchange.Load("15").ReceivedFromIpvs().First(d => d[4] == CapturedExchange.IpvsFamilyId && d[16] == 1);
        Assert.Contains("0c000700" + "02000000" + "ffffffff", Convert.ToHexStringLower(reply), StringComparison.Ordinal);

        var table = CapturedTable.Decode(CapturedExchange.Load("15"));
        Assert.All(table, t => Assert.Equal(IpvsServiceFlags.None, t.Service.Flags & IpvsServiceFlags.Hashed));
    }

    [Fact]
    public void CapturedListing_ReadsCountersAndConnectionCounts()
    {
        var table = CapturedTable.Decode(CapturedExchange.Load("19"));

        Assert.All(table, t => Assert.Equal(IpvsStats.Zero, t.Entry.Stats));
        Assert.All(table.SelectMany(t => t.Destinations), d => Assert.Equal((0u, 0u, 0u), (d.ActiveConnections, d.InactiveConnections, d.PersistentConnections)));
    }

    [Theory]
    [MemberData(nameof(ServiceCommands))]
    public void IpvsadmServiceRequest_DecodesToTheService(string capture, IpvsService service, bool edit)
    {
        _ = edit;
        byte[] request = CapturedExchange.Load(capture).SentToIpvs().Last();

        Assert.Equal(service, Decode(request, m => IpvsMessageDecoder.ReadServiceMessage(m)).Service);
    }

    [Theory]
    [MemberData(nameof(DestinationCommands))]
    public void IpvsadmDestinationRequest_DecodesToTheDestination(string capture, ServiceKey service, IpvsDestination destination, bool edit)
    {
        _ = edit;
        byte[] request = CapturedExchange.Load(capture).SentToIpvs().Last();

        Assert.Equal(destination, Decode(request, m => IpvsMessageDecoder.ReadDestinationMessage(m, service.Family)).Destination);
    }

    [Fact]
    public void InfoReply_GivesVersionAndTableSize()
    {
        byte[] reply = CapturedExchange.Load("16").ReceivedFromIpvs().First(d => d[16] == 14);
        var info = Decode(reply, IpvsMessageDecoder.ReadInfo);

        Assert.Equal(new IpvsInfo(0x010201, 4096), info);
        Assert.Equal("1.2.1", info.VersionText);
    }

    [Fact]
    public void ConfigReply_GivesTimeouts()
    {
        byte[] reply = CapturedExchange.Load("28").ReceivedFromIpvs().First(d => d[16] == 12);

        Assert.Equal(new IpvsTimeouts(900, 120, 300), Decode(reply, IpvsMessageDecoder.ReadTimeouts));
    }

    [Fact]
    public void DaemonReply_GivesTheDaemon()
    {
        byte[] reply = CapturedExchange.Load("30").ReceivedFromIpvs().First(d => d[16] == IpvsNetlink.IPVS_CMD_NEW_DAEMON);
        var daemon = Decode(reply, IpvsMessageDecoder.ReadDaemonMessage);

        Assert.Equal(
            new IpvsSyncDaemon(IpvsSyncDaemonState.Master, "d0", 5, 1472, IPAddress.Parse("224.0.0.81"), 8848, 1),
            daemon);
    }

    [Fact]
    public void ReadService_UnknownAttribute_IsSkipped()
    {
        var buffer = new byte[512];
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(0x20, 0, 1);
        writer.WriteGenericHeader(1, 1);
        int nest = writer.BeginNested(1);
        writer.WriteUInt16(IpvsNetlink.IPVS_SVC_ATTR_AF, IpvsNetlink.AF_INET);
        writer.WriteUInt32(99, 12345);
        writer.WriteUInt32(IpvsNetlink.IPVS_SVC_ATTR_FWMARK, 3);
        writer.WriteString(IpvsNetlink.IPVS_SVC_ATTR_SCHED_NAME, "rr");
        writer.EndNested(nest);
        writer.WriteUInt32(77, 1);
        int length = writer.EndMessage();

        var service = Decode(buffer[..length], m => IpvsMessageDecoder.ReadServiceMessage(m)).Service;

        Assert.Equal(ServiceKey.ForFirewallMark(AddressFamily.InterNetwork, 3), service.Key);
        Assert.Equal("rr", service.Scheduler);
    }

    [Fact]
    public void ReadService_NotPersistent_NetmaskReadsAsTheDefault()
    {
        var buffer = new byte[512];
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(0x20, 0, 1);
        IpvsMessageEncoder.Write(ref writer, new AddService(new IpvsService(CapturedModel.Udp6, "rr", IpvsServiceFlags.None, 0, 64, null)));
        int length = writer.EndMessage();

        Assert.Equal(128u, Decode(buffer[..length], m => IpvsMessageDecoder.ReadServiceMessage(m)).Service.Netmask);
    }

    [Fact]
    public void ReadStats_Stats64_WinsOverStats()
    {
        var buffer = new byte[512];
        var writer = new NetlinkMessageWriter(buffer);
        writer.WriteUInt16(IpvsNetlink.IPVS_SVC_ATTR_AF, IpvsNetlink.AF_INET);
        writer.WriteUInt32(IpvsNetlink.IPVS_SVC_ATTR_FWMARK, 1);
        int stats = writer.BeginNested(IpvsNetlink.IPVS_SVC_ATTR_STATS);
        writer.WriteUInt32(IpvsNetlink.IPVS_STATS_ATTR_CONNS, 1);
        writer.EndNested(stats);
        int stats64 = writer.BeginNested(IpvsNetlink.IPVS_SVC_ATTR_STATS64);
        writer.WriteUInt64(IpvsNetlink.IPVS_STATS_ATTR_CONNS, 0x1_0000_0001);
        writer.WriteUInt64(IpvsNetlink.IPVS_STATS_ATTR_OUTBPS, 9);
        writer.EndNested(stats64);

        var entry = IpvsMessageDecoder.ReadService(new NetlinkAttributeReader(writer.Written));

        Assert.Equal(0x1_0000_0001ul, entry.Stats.Connections);
        Assert.Equal(9ul, entry.Stats.BytesOutPerSecond);
    }

    [Fact]
    public void ReadDestination_WithoutStatistics_KeepsSettingsAndConnectionCountsAndLeavesCountersZero()
    {
        var buffer = new byte[512];
        var writer = new NetlinkMessageWriter(buffer);
        writer.WriteAttribute(IpvsNetlink.IPVS_DEST_ATTR_ADDR, [10, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        writer.WriteUInt16BigEndian(IpvsNetlink.IPVS_DEST_ATTR_PORT, 8080);
        writer.WriteUInt32(IpvsNetlink.IPVS_DEST_ATTR_WEIGHT, 7);
        writer.WriteUInt32(IpvsNetlink.IPVS_DEST_ATTR_ACTIVE_CONNS, 3);
        writer.WriteUInt32(IpvsNetlink.IPVS_DEST_ATTR_INACT_CONNS, 4);
        int stats64 = writer.BeginNested(IpvsNetlink.IPVS_DEST_ATTR_STATS64);
        writer.WriteUInt64(IpvsNetlink.IPVS_STATS_ATTR_CONNS, 12);
        writer.EndNested(stats64);

        var full = IpvsMessageDecoder.ReadDestination(new NetlinkAttributeReader(writer.Written), System.Net.Sockets.AddressFamily.InterNetwork);
        var settings = IpvsMessageDecoder.ReadDestination(new NetlinkAttributeReader(writer.Written), System.Net.Sockets.AddressFamily.InterNetwork, withStatistics: false);

        Assert.Equal(12ul, full.Stats.Connections);
        Assert.Same(IpvsStats.Zero, settings.Stats);
        Assert.Equal(full with { Stats = IpvsStats.Zero }, settings);
        Assert.Equal((7, 3u, 4u), (settings.Destination.Weight, settings.ActiveConnections, settings.InactiveConnections));
    }

    private delegate T Reader<T>(NetlinkMessage message);

    private static T Decode<T>(byte[] datagram, Reader<T> read)
    {
        var reader = new NetlinkMessageReader(datagram);
        Assert.True(reader.TryRead(out var message));
        return read(message);
    }
}
