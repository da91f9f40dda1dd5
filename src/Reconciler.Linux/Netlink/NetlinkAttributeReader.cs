using System.Buffers.Binary;

namespace Reconciler.Linux.Netlink;

/// <summary>Walks a run of attributes. Callers switch on the type and skip the ones they do not know.</summary>
public ref struct NetlinkAttributeReader
{
    private ReadOnlySpan<byte> _remaining;

    public NetlinkAttributeReader(ReadOnlySpan<byte> attributes)
    {
        _remaining = attributes;
    }

    public bool TryRead(out NetlinkAttribute attribute)
    {
        if (_remaining.Length < NetlinkConstants.NLA_HDRLEN)
        {
            attribute = default;
            return false;
        }

        ushort length = BinaryPrimitives.ReadUInt16LittleEndian(_remaining);
        ushort type = BinaryPrimitives.ReadUInt16LittleEndian(_remaining[2..]);
        if (length < NetlinkConstants.NLA_HDRLEN || length > _remaining.Length)
        {
            throw new NetlinkProtocolException($"attribute {type & NetlinkConstants.NLA_TYPE_MASK} length {length} with {_remaining.Length} bytes left");
        }

        attribute = new NetlinkAttribute(type, _remaining[NetlinkConstants.NLA_HDRLEN..length]);
        _remaining = _remaining[Math.Min(NetlinkConstants.Align(length), _remaining.Length)..];
        return true;
    }
}
