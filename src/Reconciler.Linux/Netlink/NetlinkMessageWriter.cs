using System.Buffers.Binary;
using System.Text;

namespace Reconciler.Linux.Netlink;

/// <summary>
/// Writes netlink messages into a span: header, family header, attributes (nested ones too), each padded to 4 bytes.
/// Lengths are patched when a message or a nest ends. Runs out of room with an exception, never silently.
/// </summary>
public ref struct NetlinkMessageWriter
{
    private readonly Span<byte> _buffer;
    private int _position;
    private int _messageStart;

    public NetlinkMessageWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _messageStart = -1;
    }

    /// <summary>Bytes written so far (whole messages once <see cref="EndMessage"/> ran).</summary>
    public readonly int Length => _position;

    public readonly ReadOnlySpan<byte> Written => _buffer[.._position];

    public void BeginMessage(ushort type, ushort flags, uint sequence, uint portId = 0)
    {
        if (_messageStart >= 0)
        {
            throw new InvalidOperationException("the previous message was not ended");
        }

        _messageStart = _position;
        new NetlinkMessageHeader(0, type, flags, sequence, portId).Write(Reserve(NetlinkMessageHeader.Size));
    }

    /// <summary>struct genlmsghdr: command, version, two reserved bytes.</summary>
    public void WriteGenericHeader(byte command, byte version)
    {
        Span<byte> header = Reserve(GenericNetlink.GENL_HDRLEN);
        header[0] = command;
        header[1] = version;
        header[2] = 0;
        header[3] = 0;
    }

    /// <summary>A fixed family header (ifaddrmsg, rtmsg, ...), padded.</summary>
    public void WriteFamilyHeader(scoped ReadOnlySpan<byte> header)
    {
        header.CopyTo(Reserve(NetlinkConstants.Align(header.Length)));
    }

    public void WriteAttribute(ushort type, scoped ReadOnlySpan<byte> value)
    {
        int length = NetlinkConstants.NLA_HDRLEN + value.Length;
        if (length > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "a netlink attribute holds at most 65531 bytes");
        }

        Span<byte> attribute = Reserve(NetlinkConstants.Align(length));
        BinaryPrimitives.WriteUInt16LittleEndian(attribute, (ushort)length);
        BinaryPrimitives.WriteUInt16LittleEndian(attribute[2..], type);
        value.CopyTo(attribute[NetlinkConstants.NLA_HDRLEN..]);
    }

    public void WriteUInt8(ushort type, byte value) => WriteAttribute(type, [value]);

    public void WriteUInt16(ushort type, ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        WriteAttribute(type, bytes);
    }

    /// <summary>A u16 in network order (ports).</summary>
    public void WriteUInt16BigEndian(ushort type, ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        WriteAttribute(type, bytes);
    }

    public void WriteUInt32(ushort type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        WriteAttribute(type, bytes);
    }

    public void WriteUInt64(ushort type, ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        WriteAttribute(type, bytes);
    }

    /// <summary>A NUL-terminated string (NLA_NUL_STRING / NLA_STRING as libnl's NLA_PUT_STRING writes it).</summary>
    public void WriteString(ushort type, string value)
    {
        int count = Encoding.UTF8.GetByteCount(value);
        Span<byte> bytes = count < 256 ? stackalloc byte[count + 1] : new byte[count + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        bytes[count] = 0;
        WriteAttribute(type, bytes);
    }

    /// <summary>Starts a nested attribute, flagged NLA_F_NESTED as libnl does; returns the token
    /// <see cref="EndNested"/> needs.</summary>
    public int BeginNested(ushort type)
    {
        int start = _position;
        Span<byte> header = Reserve(NetlinkConstants.NLA_HDRLEN);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], (ushort)(type | NetlinkConstants.NLA_F_NESTED));
        return start;
    }

    public void EndNested(int token)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer[token..], checked((ushort)(_position - token)));
    }

    /// <summary>Patches the message length; returns the message's size.</summary>
    public int EndMessage()
    {
        if (_messageStart < 0)
        {
            throw new InvalidOperationException("no message was begun");
        }

        int length = _position - _messageStart;
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer[_messageStart..], (uint)length);
        _messageStart = -1;
        return length;
    }

    private Span<byte> Reserve(int count)
    {
        if (_position + count > _buffer.Length)
        {
            throw new InvalidOperationException($"netlink buffer of {_buffer.Length} bytes is full");
        }

        Span<byte> span = _buffer.Slice(_position, count);
        span.Clear();
        _position += count;
        return span;
    }
}
