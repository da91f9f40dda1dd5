using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using Reconciler.Topology.Model;

namespace Reconciler.Vrrp.Wire;

/// <summary>
/// Encodes and decodes VRRP messages (the IP payload). Encoding is the mirror of decoding.
/// <para>
/// VRRPv2 (RFC 3768 5.1): <c>ver|type, VRID, priority, count, auth type, adver int (s), checksum,
/// IPv4 addresses, 8 bytes auth data</c>; the checksum covers the VRRP message only.
/// </para>
/// <para>
/// VRRPv3 (RFC 5798 5.1): <c>ver|type, VRID, priority, count, rsvd(4)|max adver int (12, cs), checksum,
/// IPv4 or IPv6 addresses</c>; the checksum covers the pseudo-header (source, destination, protocol 112,
/// length) and the message. The destination is the one the packet is addressed to: 224.0.0.18 / ff02::12,
/// or the unicast peer. That is keepalived's default too; its old (pre-2.0.11) unicast checksum used
/// 224.0.0.18 even for unicast, which keepalived still accepts and then switches to; see
/// <see cref="Receive.VrrpReceiveValidator"/>.
/// </para>
/// </summary>
public static class VrrpCodec
{
    /// <summary>
    /// Decodes a message. Total: any input gives either an advert or a reason, never an exception
    /// (only an unsupported <paramref name="family"/> argument throws). The checksum is not verified here.
    /// </summary>
    /// <param name="message">The VRRP message: for IPv4 the bytes after the IP header, for IPv6 the raw socket payload.</param>
    /// <param name="family">The family of the socket it came from; it says how long an address is.</param>
    public static bool TryDecode(ReadOnlySpan<byte> message, AddressFamily family, [NotNullWhen(true)] out VrrpAdvert? advert, out VrrpDropReason reason)
    {
        if (family is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentOutOfRangeException(nameof(family), family, "VRRP runs over IPv4 or IPv6.");
        }

        advert = null;
        var reader = new VrrpReader(message);
        if (message.Length < VrrpConstants.VRRP_HEADER_LENGTH)
        {
            reason = VrrpDropReason.TooShort;
            return false;
        }

        reader.TryReadByte(out var versionType);
        var version = versionType >> 4;
        var type = versionType & 0x0F;
        if (version is not (VrrpConstants.VRRP_VERSION_2 or VrrpConstants.VRRP_VERSION_3) ||
            (version == VrrpConstants.VRRP_VERSION_2 && family == AddressFamily.InterNetworkV6))
        {
            reason = VrrpDropReason.VersionInvalid;
            return false;
        }

        if (type != VrrpConstants.VRRP_TYPE_ADVERTISEMENT)
        {
            reason = VrrpDropReason.TypeInvalid;
            return false;
        }

        reader.TryReadByte(out var vrid);
        reader.TryReadByte(out var priority);
        reader.TryReadByte(out var count);

        var authType = VrrpAuthType.None;
        TimeSpan interval;
        if (version == VrrpConstants.VRRP_VERSION_2)
        {
            reader.TryReadByte(out var auth);
            reader.TryReadByte(out var seconds);
            authType = (VrrpAuthType)auth;
            interval = TimeSpan.FromSeconds(seconds);
        }
        else
        {
            // The top 4 bits are reserved: zero on send, ignored on receipt (RFC 5798 5.2.6).
            reader.TryReadUInt16(out var rsvdAndInterval);
            interval = TimeSpan.FromMilliseconds((rsvdAndInterval & VrrpConstants.VRRP_V3_MAX_ADVER_INT) * 10);
        }

        reader.TryReadUInt16(out _); // checksum, verified separately

        var addressLength = family == AddressFamily.InterNetworkV6 ? 16 : 4;
        var expected = VrrpConstants.VRRP_HEADER_LENGTH + (count * addressLength) +
            (version == VrrpConstants.VRRP_VERSION_2 ? VrrpConstants.VRRP_AUTH_DATA_LENGTH : 0);
        if (message.Length < expected)
        {
            reason = VrrpDropReason.Truncated;
            return false;
        }

        if (message.Length > expected)
        {
            reason = VrrpDropReason.LengthMismatch;
            return false;
        }

        var addresses = new IPAddress[count];
        for (var i = 0; i < count; i++)
        {
            reader.TryReadAddress(addressLength, out var address);
            addresses[i] = address!;
        }

        ulong authData = 0;
        if (version == VrrpConstants.VRRP_VERSION_2)
        {
            reader.TryReadUInt64(out authData);
        }

        advert = new VrrpAdvert(version, family, vrid, priority, interval, ValueList.Create<IPAddress>(addresses), authType, authData);
        reason = VrrpDropReason.None;
        return true;
    }

    /// <summary>
    /// Encodes <paramref name="advert"/> into <paramref name="destination"/> and returns the length written.
    /// </summary>
    /// <param name="source">The IP source the packet will carry (v3 pseudo-header).</param>
    /// <param name="checksumDestination">
    /// The destination for the v3 pseudo-header: the address the packet is sent to (multicast group or
    /// unicast peer), or 224.0.0.18 for keepalived's legacy unicast checksum. Ignored for v2.
    /// </param>
    /// <exception cref="ArgumentException">The advert cannot be represented (see <see cref="Validate"/>).</exception>
    public static int Encode(VrrpAdvert advert, IPAddress source, IPAddress checksumDestination, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(advert);
        Validate(advert);
        var length = advert.EncodedLength;
        if (destination.Length < length)
        {
            throw new ArgumentException($"Need {length} bytes, have {destination.Length}.", nameof(destination));
        }

        var message = destination[..length];
        var writer = new VrrpWriter(message);
        writer.WriteByte((byte)((advert.Version << 4) | VrrpConstants.VRRP_TYPE_ADVERTISEMENT));
        writer.WriteByte(advert.VirtualRouterId);
        writer.WriteByte(advert.Priority);
        writer.WriteByte((byte)advert.Addresses.Count);
        if (advert.Version == VrrpConstants.VRRP_VERSION_2)
        {
            writer.WriteByte((byte)advert.AuthType);
            writer.WriteByte((byte)(advert.AdvertInterval.Ticks / TimeSpan.TicksPerSecond));
        }
        else
        {
            writer.WriteUInt16((ushort)(advert.AdvertInterval.Ticks / (TimeSpan.TicksPerMillisecond * 10)));
        }

        writer.WriteUInt16(0); // checksum, filled in below
        foreach (var address in advert.Addresses)
        {
            writer.WriteAddress(address, advert.AddressLength);
        }

        if (advert.Version == VrrpConstants.VRRP_VERSION_2)
        {
            writer.WriteUInt64(advert.AuthData);
        }

        var checksum = ComputeChecksum(message, advert.Version, source, checksumDestination);
        message[6] = (byte)(checksum >> 8);
        message[7] = (byte)checksum;
        return length;
    }

    /// <summary>Encodes into a new array.</summary>
    public static byte[] Encode(VrrpAdvert advert, IPAddress source, IPAddress checksumDestination)
    {
        ArgumentNullException.ThrowIfNull(advert);
        var buffer = new byte[advert.EncodedLength];
        Encode(advert, source, checksumDestination, buffer);
        return buffer;
    }

    /// <summary>Throws <see cref="ArgumentException"/> when the advert cannot be put on the wire as it is.</summary>
    public static void Validate(VrrpAdvert advert)
    {
        ArgumentNullException.ThrowIfNull(advert);
        if (advert.Version is not (VrrpConstants.VRRP_VERSION_2 or VrrpConstants.VRRP_VERSION_3))
        {
            throw new ArgumentException($"VRRP version {advert.Version} is not 2 or 3.", nameof(advert));
        }

        if (advert.Family is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"Address family {advert.Family} is not IPv4 or IPv6.", nameof(advert));
        }

        if (advert.Version == VrrpConstants.VRRP_VERSION_2 && advert.Family != AddressFamily.InterNetwork)
        {
            throw new ArgumentException("VRRPv2 is IPv4 only.", nameof(advert));
        }

        if (advert.Addresses.Count > VrrpConstants.VRRP_MAX_ADDRESSES)
        {
            throw new ArgumentException($"{advert.Addresses.Count} addresses; at most {VrrpConstants.VRRP_MAX_ADDRESSES} fit.", nameof(advert));
        }

        foreach (var address in advert.Addresses)
        {
            if (address.AddressFamily != advert.Family)
            {
                throw new ArgumentException($"Address {address} is not of family {advert.Family}.", nameof(advert));
            }
        }

        var ticks = advert.AdvertInterval.Ticks;
        if (advert.Version == VrrpConstants.VRRP_VERSION_2)
        {
            if (ticks < 0 || ticks % TimeSpan.TicksPerSecond != 0 || ticks / TimeSpan.TicksPerSecond > VrrpConstants.VRRP_V2_MAX_ADVER_INT)
            {
                throw new ArgumentException($"VRRPv2 advert interval {advert.AdvertInterval} is not whole seconds 0..255.", nameof(advert));
            }
        }
        else
        {
            const long centisecond = TimeSpan.TicksPerMillisecond * 10;
            if (ticks < 0 || ticks % centisecond != 0 || ticks / centisecond > VrrpConstants.VRRP_V3_MAX_ADVER_INT)
            {
                throw new ArgumentException($"VRRPv3 advert interval {advert.AdvertInterval} is not a multiple of 10 ms in 0..40.95 s.", nameof(advert));
            }

            if (advert.AuthType != VrrpAuthType.None || advert.AuthData != 0)
            {
                throw new ArgumentException("VRRPv3 has no authentication.", nameof(advert));
            }
        }
    }

    /// <summary>
    /// The checksum of a whole message (its checksum field taken as zero): v2 over the message, v3 with the
    /// pseudo-header of <paramref name="source"/> and <paramref name="checksumDestination"/>.
    /// </summary>
    public static ushort ComputeChecksum(ReadOnlySpan<byte> message, int version, IPAddress source, IPAddress checksumDestination)
    {
        // Sum around the checksum field so the caller's copy need not be zeroed.
        var sum = version == VrrpConstants.VRRP_VERSION_3
            ? InternetChecksum.PseudoHeaderSum(source, checksumDestination, VrrpConstants.IPPROTO_VRRP, message.Length)
            : 0u;
        sum = InternetChecksum.Add(sum, message[..Math.Min(6, message.Length)]);
        if (message.Length > 8)
        {
            sum = InternetChecksum.Add(sum, message[8..]);
        }

        return InternetChecksum.Finish(sum);
    }

    /// <summary>
    /// Whether the message's checksum verifies. False for anything shorter than the fixed header.
    /// The version is read from the message (v2: message only; v3: with the pseudo-header).
    /// </summary>
    public static bool VerifyChecksum(ReadOnlySpan<byte> message, IPAddress source, IPAddress checksumDestination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(checksumDestination);
        if (message.Length < VrrpConstants.VRRP_HEADER_LENGTH)
        {
            return false;
        }

        var version = message[0] >> 4;
        if (version == VrrpConstants.VRRP_VERSION_3 && source.AddressFamily != checksumDestination.AddressFamily)
        {
            return false;
        }

        // Summing the whole message, checksum field included, gives 0xFFFF when it verifies
        // (RFC 1071 4.1); this accepts either one's complement zero in the field.
        var sum = version == VrrpConstants.VRRP_VERSION_3
            ? InternetChecksum.PseudoHeaderSum(source, checksumDestination, VrrpConstants.IPPROTO_VRRP, message.Length)
            : 0u;
        return InternetChecksum.Finish(InternetChecksum.Add(sum, message)) == 0;
    }
}
