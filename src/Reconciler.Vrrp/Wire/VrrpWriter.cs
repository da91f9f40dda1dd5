using System.Buffers.Binary;
using System.Net;

namespace Reconciler.Vrrp.Wire;

/// <summary>Writes big-endian fields into a span, front to back; overruns throw (encoding is our own data).</summary>
internal ref struct VrrpWriter
{
    private readonly Span<byte> _buffer;
    private int _position;

    public VrrpWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    public readonly int Position => _position;

    public void WriteByte(byte value) => _buffer[_position++] = value;

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[_position..], value);
        _position += 2;
    }

    public void WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(_buffer[_position..], value);
        _position += 8;
    }

    public void WriteAddress(IPAddress address, int length)
    {
        if (!address.TryWriteBytes(_buffer.Slice(_position, length), out var written) || written != length)
        {
            throw new ArgumentException($"Address {address} is not {length} bytes long.", nameof(address));
        }

        _position += length;
    }
}
