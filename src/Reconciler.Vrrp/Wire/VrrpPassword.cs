using System.Buffers.Binary;
using System.Text;

namespace Reconciler.Vrrp.Wire;

/// <summary>
/// VRRPv2 simple-text authentication data (Auth Type 1, keepalived's <c>auth_type PASS</c>): the
/// password's UTF-8 bytes, cut to 8 bytes and padded with zero bytes, exactly as keepalived fills its
/// 8-byte <c>auth_data</c> (longer passwords are truncated; keepalived warns about that).
/// </summary>
/// <remarks>
/// This is not security. The password travels in clear text in every advert; anyone on the link can
/// read it and forge adverts. It only stops two clusters that share a VRID on one link by mistake
/// from electing each other (RFC 3768 section 10 removed authentication for that reason).
/// </remarks>
public static class VrrpPassword
{
    /// <summary>The 8 bytes of authentication data, read as a big-endian number (so equality is byte equality).</summary>
    public static ulong Encode(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        Span<byte> data = stackalloc byte[VrrpConstants.VRRP_AUTH_DATA_LENGTH];
        data.Clear();
        var bytes = Encoding.UTF8.GetBytes(password);
        bytes.AsSpan(0, Math.Min(bytes.Length, data.Length)).CopyTo(data);
        return BinaryPrimitives.ReadUInt64BigEndian(data);
    }

    /// <summary>The printable form of authentication data: the bytes before the first zero byte.</summary>
    public static string Decode(ulong authData)
    {
        Span<byte> data = stackalloc byte[VrrpConstants.VRRP_AUTH_DATA_LENGTH];
        BinaryPrimitives.WriteUInt64BigEndian(data, authData);
        var end = data.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? data : data[..end]);
    }
}
