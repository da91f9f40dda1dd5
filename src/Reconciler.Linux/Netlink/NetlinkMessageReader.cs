namespace Reconciler.Linux.Netlink;

/// <summary>Walks the messages of one received datagram, checking every length against what is there.</summary>
public ref struct NetlinkMessageReader
{
    private ReadOnlySpan<byte> _remaining;

    public NetlinkMessageReader(ReadOnlySpan<byte> datagram)
    {
        _remaining = datagram;
    }

    public bool TryRead(out NetlinkMessage message)
    {
        if (_remaining.Length < NetlinkMessageHeader.Size)
        {
            if (!_remaining.IsEmpty && _remaining.IndexOfAnyExcept((byte)0) >= 0)
            {
                throw new NetlinkProtocolException($"{_remaining.Length} stray bytes after the last netlink message");
            }

            message = default;
            return false;
        }

        var header = NetlinkMessageHeader.Read(_remaining);
        if (header.Length < NetlinkMessageHeader.Size || header.Length > _remaining.Length)
        {
            throw new NetlinkProtocolException($"netlink message length {header.Length} with {_remaining.Length} bytes left");
        }

        message = new NetlinkMessage(header, _remaining[NetlinkMessageHeader.Size..(int)header.Length]);
        int advance = Math.Min(NetlinkConstants.Align((int)header.Length), _remaining.Length);
        _remaining = _remaining[advance..];
        return true;
    }
}
