using System.Buffers.Binary;
using System.Net;

namespace Reconciler.Vrrp.Wire;

/// <summary>
/// Reads big-endian fields from a span, front to back. Every read is checked against the remaining
/// length and reports failure instead of throwing, so the decoder stays total.
/// </summary>
internal ref struct VrrpReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;

    public VrrpReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    public readonly int Remaining => _buffer.Length - _position;

    public bool TryReadByte(out byte value)
    {
        if (Remaining < 1)
        {
            value = 0;
            return false;
        }

        value = _buffer[_position++];
        return true;
    }

    public bool TryReadUInt16(out ushort value)
    {
        if (Remaining < 2)
        {
            value = 0;
            return false;
        }

        value = BinaryPrimitives.ReadUInt16BigEndian(_buffer[_position..]);
        _position += 2;
        return true;
    }

    public bool TryReadUInt64(out ulong value)
    {
        if (Remaining < 8)
        {
            value = 0;
            return false;
        }

        value = BinaryPrimitives.ReadUInt64BigEndian(_buffer[_position..]);
        _position += 8;
        return true;
    }

    public bool TryReadAddress(int length, out IPAddress? address)
    {
        if (Remaining < length)
        {
            address = null;
            return false;
        }

        address = new IPAddress(_buffer.Slice(_position, length));
        _position += length;
        return true;
    }
}
