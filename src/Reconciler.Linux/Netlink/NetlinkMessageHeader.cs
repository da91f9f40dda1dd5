using System.Buffers.Binary;

namespace Reconciler.Linux.Netlink;

/// <summary>struct nlmsghdr. Netlink integers are in host order; this project runs on little-endian Linux only.</summary>
public readonly record struct NetlinkMessageHeader(uint Length, ushort Type, ushort Flags, uint Sequence, uint PortId)
{
    public const int Size = NetlinkConstants.NLMSG_HDRLEN;

    public static NetlinkMessageHeader Read(ReadOnlySpan<byte> source) => new(
        BinaryPrimitives.ReadUInt32LittleEndian(source),
        BinaryPrimitives.ReadUInt16LittleEndian(source[4..]),
        BinaryPrimitives.ReadUInt16LittleEndian(source[6..]),
        BinaryPrimitives.ReadUInt32LittleEndian(source[8..]),
        BinaryPrimitives.ReadUInt32LittleEndian(source[12..]));

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, Length);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], Type);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], Flags);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], Sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], PortId);
    }
}
