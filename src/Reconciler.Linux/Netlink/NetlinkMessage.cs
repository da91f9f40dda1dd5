namespace Reconciler.Linux.Netlink;

/// <summary>One message of a datagram: its header and what follows it (family header, attributes).</summary>
public readonly ref struct NetlinkMessage
{
    public NetlinkMessage(NetlinkMessageHeader header, ReadOnlySpan<byte> payload)
    {
        Header = header;
        Payload = payload;
    }

    public NetlinkMessageHeader Header { get; }

    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>For generic netlink: the command of the genlmsghdr.</summary>
    public byte GenericCommand => Payload.Length >= GenericNetlink.GENL_HDRLEN
        ? Payload[0]
        : throw new NetlinkProtocolException("message too short for a genlmsghdr");

    /// <summary>The attributes after a family header of <paramref name="familyHeaderLength"/> bytes.</summary>
    public NetlinkAttributeReader Attributes(int familyHeaderLength) => familyHeaderLength <= Payload.Length
        ? new NetlinkAttributeReader(Payload[NetlinkConstants.Align(familyHeaderLength)..])
        : throw new NetlinkProtocolException("message too short for its family header");
}
