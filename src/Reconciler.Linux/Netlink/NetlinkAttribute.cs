using System.Buffers.Binary;
using System.Text;

namespace Reconciler.Linux.Netlink;

/// <summary>One attribute (struct nlattr + value). Getters check the value's length.</summary>
public readonly ref struct NetlinkAttribute
{
    public NetlinkAttribute(ushort rawType, ReadOnlySpan<byte> value)
    {
        RawType = rawType;
        Value = value;
    }

    public ushort RawType { get; }

    /// <summary>The type without NLA_F_NESTED and NLA_F_NET_BYTEORDER.</summary>
    public ushort Type => (ushort)(RawType & NetlinkConstants.NLA_TYPE_MASK);

    public ReadOnlySpan<byte> Value { get; }

    public NetlinkAttributeReader Nested => new(Value);

    public byte GetUInt8() => Sized(1)[0];

    public ushort GetUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Sized(2));

    public ushort GetUInt16BigEndian() => BinaryPrimitives.ReadUInt16BigEndian(Sized(2));

    public uint GetUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Sized(4));

    public ulong GetUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Sized(8));

    /// <summary>A string up to its first NUL (or the whole value if none).</summary>
    public string GetString()
    {
        int end = Value.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? Value : Value[..end]);
    }

    private ReadOnlySpan<byte> Sized(int size) => Value.Length >= size
        ? Value[..size]
        : throw new NetlinkProtocolException($"attribute {Type} has {Value.Length} bytes, needs {size}");
}
