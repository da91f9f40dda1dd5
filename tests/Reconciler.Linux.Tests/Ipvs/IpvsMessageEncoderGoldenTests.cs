using System.Buffers.Binary;
using Reconciler.Ipvs;
using Reconciler.Linux.Ipvs;
using Reconciler.Linux.Netlink;

namespace Reconciler.Linux.Tests.Ipvs;

/// <summary>Our requests against the bytes ipvsadm 1.31 sent for the same command.</summary>
public sealed class IpvsMessageEncoderGoldenTests
{
    public static TheoryData<string, IpvsService, bool> ServiceCommands() => CapturedModel.ServiceCommands();

    public static TheoryData<string, ServiceKey, IpvsDestination, bool> DestinationCommands() => CapturedModel.DestinationCommands();

    [Theory]
    [MemberData(nameof(ServiceCommands))]
    public void AddOrUpdateService_IsByteForByteWhatIpvsadmSends(string capture, IpvsService service, bool edit)
    {
        byte[] captured = LastIpvsRequest(capture);
        IpvsOperation operation = edit ? new UpdateService(service) : new AddService(service);

        byte[] ours = Encode(captured, operation);

        Assert.Equal(Convert.ToHexStringLower(captured), Convert.ToHexStringLower(ours));
    }

    [Theory]
    [MemberData(nameof(DestinationCommands))]
    public void AddOrUpdateDestination_DestinationIsByteForByteWhatIpvsadmSends(string capture, ServiceKey service, IpvsDestination destination, bool edit)
    {
        byte[] captured = LastIpvsRequest(capture);
        IpvsOperation operation = edit ? new UpdateDestination(service, destination) : new AddDestination(service, destination);

        byte[] ours = Encode(captured, operation);

        // ipvsadm repeats the service's settings in IPVS_CMD_ATTR_SERVICE; we send only its key. The command and the
        // destination must be identical, and the service must decode to the same key.
        Assert.Equal(captured[16], ours[16]);
        Assert.Equal(Convert.ToHexStringLower(Nested(captured, 2)), Convert.ToHexStringLower(Nested(ours, 2)));
        Assert.Equal(KeyOf(captured), KeyOf(ours));
        Assert.Equal(service, KeyOf(ours));
    }

    [Fact]
    public void DeleteDestination_NamesTheSameServerAsIpvsadm()
    {
        byte[] captured = LastIpvsRequest("20");
        var address = System.Net.IPAddress.Parse("10.0.0.6");
        byte[] ours = Encode(captured, new DeleteDestination(CapturedModel.Tcp100, address, 80));

        var theirs = DecodeDestination(captured);
        var mine = DecodeDestination(ours);
        Assert.Equal(7, ours[16]);
        Assert.Equal(captured[16], ours[16]);
        Assert.Equal((theirs.Address, theirs.Port), (mine.Address, mine.Port));
        Assert.Equal(KeyOf(captured), KeyOf(ours));
    }

    [Fact]
    public void DeleteService_NamesTheSameServiceAsIpvsadm()
    {
        byte[] captured = LastIpvsRequest("21");
        byte[] ours = Encode(captured, new DeleteService(CapturedModel.Tcp101));

        Assert.Equal(captured[16], ours[16]);
        Assert.Equal(KeyOf(captured), KeyOf(ours));
    }

    [Fact]
    public void SetTimeouts_IsByteForByteWhatIpvsadmSends()
    {
        byte[] captured = LastIpvsRequest("27");
        byte[] ours = EncodeWith(captured, (ref NetlinkMessageWriter writer) => IpvsMessageEncoder.WriteTimeouts(ref writer, new IpvsTimeouts(900, 120, 300)));

        Assert.Equal(Convert.ToHexStringLower(captured), Convert.ToHexStringLower(ours));
    }

    [Fact]
    public void StartDaemon_IsByteForByteWhatIpvsadmSends()
    {
        byte[] captured = LastIpvsRequest("29");
        byte[] ours = EncodeWith(captured, (ref NetlinkMessageWriter writer) =>
            IpvsMessageEncoder.WriteStartDaemon(ref writer, new IpvsSyncDaemon(IpvsSyncDaemonState.Master, "d0", 5)));

        Assert.Equal(Convert.ToHexStringLower(captured), Convert.ToHexStringLower(ours));
    }

    [Fact]
    public void StopDaemon_SendsTheState()
    {
        byte[] captured = LastIpvsRequest("31");
        byte[] ours = EncodeWith(captured, (ref NetlinkMessageWriter writer) => IpvsMessageEncoder.WriteStopDaemon(ref writer, IpvsSyncDaemonState.Master));

        // ipvsadm adds the interface and sync id, which DEL_DAEMON ignores; command and state are the same.
        Assert.Equal(Convert.ToHexStringLower(captured.AsSpan(16, 4)), Convert.ToHexStringLower(ours.AsSpan(16, 4)));
        Assert.Equal(Convert.ToHexStringLower(captured.AsSpan(24, 8)), Convert.ToHexStringLower(ours.AsSpan(24, 8)));
    }

    [Theory]
    [InlineData("33", 17)]
    [InlineData("15", 15)]
    public void AttributeLessCommand_IsByteForByteWhatIpvsadmSends(string capture, byte command)
    {
        byte[] captured = CapturedExchange.Load(capture).SentToIpvs().First(d => d[16] == command);
        byte[] ours = EncodeWith(captured, (ref NetlinkMessageWriter writer) => writer.WriteGenericHeader(command, 1));

        Assert.Equal(Convert.ToHexStringLower(captured), Convert.ToHexStringLower(ours));
    }

    private delegate void Body(ref NetlinkMessageWriter writer);

    private static byte[] LastIpvsRequest(string capture) => CapturedExchange.Load(capture).SentToIpvs().Last();

    private static byte[] Encode(byte[] captured, IpvsOperation operation) => IpvsMessageEncoder.EncodeRequest(
        CapturedExchange.IpvsFamilyId, CapturedTable.Sequence(captured), CapturedTable.PortId(captured), operation);

    private static byte[] EncodeWith(byte[] captured, Body body)
    {
        var buffer = new byte[1024];
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(
            CapturedExchange.IpvsFamilyId,
            BinaryPrimitives.ReadUInt16LittleEndian(captured.AsSpan(6)),
            CapturedTable.Sequence(captured),
            CapturedTable.PortId(captured));
        body(ref writer);
        return buffer[..writer.EndMessage()];
    }

    /// <summary>The bytes of a top-level attribute (header included).</summary>
    private static byte[] Nested(byte[] message, ushort type)
    {
        int offset = 20;
        while (offset < message.Length)
        {
            ushort length = BinaryPrimitives.ReadUInt16LittleEndian(message.AsSpan(offset));
            ushort attributeType = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(message.AsSpan(offset + 2)) & NetlinkConstants.NLA_TYPE_MASK);
            if (attributeType == type)
            {
                return message[offset..(offset + length)];
            }

            offset += NetlinkConstants.Align(length);
        }

        throw new InvalidOperationException($"no attribute {type}");
    }

    private static ServiceKey KeyOf(byte[] request)
    {
        var reader = new NetlinkMessageReader(request);
        Assert.True(reader.TryRead(out var message));
        return IpvsMessageDecoder.ReadServiceMessage(message).Service.Key;
    }

    private static IpvsDestination DecodeDestination(byte[] request)
    {
        var reader = new NetlinkMessageReader(request);
        Assert.True(reader.TryRead(out var message));
        return IpvsMessageDecoder.ReadDestinationMessage(message, System.Net.Sockets.AddressFamily.InterNetwork).Destination;
    }
}
