using System.Net;
using System.Net.Sockets;
using Reconciler.Vrrp.Wire;

namespace Reconciler.Vrrp.Receive;

/// <summary>Remarks a valid advert carries for the router and the counters.</summary>
[Flags]
public enum VrrpReceiveNotes
{
    None = 0,

    /// <summary>v3 IPv4 unicast: the checksum verified only with 224.0.0.18 in the pseudo-header (keepalived before 2.0.11).</summary>
    LegacyUnicastChecksum = 1,

    /// <summary>The address count or list differs from ours, accepted because the sender is the address owner (RFC 3768 7.1 / RFC 5798 7.1).</summary>
    AddressListMismatch = 2,

    /// <summary>v3: the advert interval differs from ours (accepted; a backup learns it as Master_Adver_Interval).</summary>
    AdvertIntervalDiffers = 4,
}

/// <summary>The verdict on one received packet.</summary>
/// <param name="Reason"><see cref="VrrpDropReason.None"/> when valid.</param>
/// <param name="Advert">The decoded advert when valid (and, when it could be decoded, for some drops, for logging).</param>
public readonly record struct VrrpReceiveResult(VrrpDropReason Reason, VrrpAdvert? Advert, VrrpReceiveNotes Notes = VrrpReceiveNotes.None)
{
    public bool IsValid => Reason == VrrpDropReason.None;

    public static VrrpReceiveResult Drop(VrrpDropReason reason, VrrpAdvert? advert = null) => new(reason, advert);
}

/// <summary>
/// The receive rules of RFC 3768 7.1 / RFC 5798 7.1 as a pure function of the packet, what the IP layer said
/// about it, and the router's configuration. Order of checks: IP facts (TTL), decoding (length, version,
/// type, truncation), version, checksum, VRID, v2 authentication and interval, interval sanity, own source,
/// unicast source, address list.
/// </summary>
/// <remarks>
/// Where keepalived and the RFCs differ:
/// <list type="bullet">
/// <item>TTL/hop limit 255 is enforced for multicast only: unicast adverts may be routed (keepalived does the same).</item>
/// <item>An address count/list mismatch drops the advert unless its priority is 255; keepalived drops even the owner's,
/// the RFCs say to go on processing an owner's advert. We follow the RFCs and count it either way.</item>
/// <item>An advert interval of 0 is dropped (keepalived accepts it; it would make a backup's master down interval the skew alone).</item>
/// <item>v2 authentication type 2 (IPsec AH) is not implemented; such adverts are a type mismatch.</item>
/// </list>
/// </remarks>
public static class VrrpReceiveValidator
{
    public static VrrpReceiveResult Validate(ReadOnlySpan<byte> message, in VrrpPacketInfo info, VrrpRouterConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (info.Source is null || info.Destination is null ||
            info.Source.AddressFamily != config.Family || info.Destination.AddressFamily != config.Family)
        {
            return VrrpReceiveResult.Drop(VrrpDropReason.IpHeaderInvalid);
        }

        // MUST verify that the IP TTL is 255 (multicast; keepalived skips it for unicast peers).
        if (!config.UsesUnicast && info.TimeToLive != VrrpConstants.VRRP_IP_TTL)
        {
            return VrrpReceiveResult.Drop(VrrpDropReason.TtlInvalid);
        }

        // From the segment: hop limit 255 above, and for IPv6 the sender's link-local address, as RFC 5798 has it send.
        if (!config.UsesUnicast && config.Family == AddressFamily.InterNetworkV6 && !info.Source.IsIPv6LinkLocal)
        {
            return VrrpReceiveResult.Drop(VrrpDropReason.SourceNotLinkLocal);
        }

        if (!VrrpCodec.TryDecode(message, config.Family, out var advert, out var reason))
        {
            return VrrpReceiveResult.Drop(reason);
        }

        // MUST verify the VRRP version field.
        if (advert.Version != config.Version)
        {
            return VrrpReceiveResult.Drop(VrrpDropReason.VersionMismatch, advert);
        }

        // MUST verify the checksum.
        var notes = VrrpReceiveNotes.None;
        if (!VrrpCodec.VerifyChecksum(message, info.Source, info.Destination))
        {
            if (!LegacyUnicastChecksumVerifies(message, info, config))
            {
                return VrrpReceiveResult.Drop(VrrpDropReason.ChecksumInvalid, advert);
            }

            notes |= VrrpReceiveNotes.LegacyUnicastChecksum;
        }

        // MUST verify that the VRID is configured on the receiving interface (silent drop: another router).
        if (advert.VirtualRouterId != config.VirtualRouterId)
        {
            return VrrpReceiveResult.Drop(VrrpDropReason.VirtualRouterIdMismatch, advert);
        }

        if (advert.Version == VrrpConstants.VRRP_VERSION_2)
        {
            if (advert.AuthType > VrrpAuthType.IPAuthenticationHeader)
            {
                return VrrpReceiveResult.Drop(VrrpDropReason.AuthTypeInvalid, advert);
            }

            if (advert.AuthType != config.AuthType)
            {
                return VrrpReceiveResult.Drop(VrrpDropReason.AuthTypeMismatch, advert);
            }

            if (advert.AuthType == VrrpAuthType.SimpleText && advert.AuthData != config.AuthData)
            {
                return VrrpReceiveResult.Drop(VrrpDropReason.AuthFailure, advert);
            }

            // MUST verify that the Adver Interval matches ours (v2 only; keepalived: "to prevent concurrent VRID running").
            if (advert.AdvertInterval != config.AdvertInterval)
            {
                return VrrpReceiveResult.Drop(VrrpDropReason.AdvertIntervalMismatch, advert);
            }
        }

        if (advert.AdvertInterval <= TimeSpan.Zero)
        {
            return VrrpReceiveResult.Drop(VrrpDropReason.AdvertIntervalInvalid, advert);
        }

        if (info.Source.Equals(config.PrimaryAddress))
        {
            return VrrpReceiveResult.Drop(VrrpDropReason.OwnAddress, advert);
        }

        if (config.CheckUnicastSource && config.UsesUnicast && !config.UnicastPeers.Contains(info.Source))
        {
            return VrrpReceiveResult.Drop(VrrpDropReason.UnicastSourceNotPeer, advert);
        }

        // MAY verify the address list; if it differs and the sender is not the owner, MUST drop.
        var addressCheck = CompareAddresses(advert, config);
        if (addressCheck != VrrpDropReason.None)
        {
            if (advert.Priority != VrrpConstants.VRRP_PRIORITY_OWNER)
            {
                return VrrpReceiveResult.Drop(addressCheck, advert);
            }

            notes |= VrrpReceiveNotes.AddressListMismatch;
        }

        if (advert.AdvertInterval != config.AdvertInterval)
        {
            notes |= VrrpReceiveNotes.AdvertIntervalDiffers;
        }

        return new VrrpReceiveResult(VrrpDropReason.None, advert, notes);
    }

    /// <summary>Same count, and every configured address present (order does not matter; keepalived compares the same way).</summary>
    private static VrrpDropReason CompareAddresses(VrrpAdvert advert, VrrpRouterConfig config)
    {
        if (advert.Addresses.Count != config.VirtualAddresses.Count)
        {
            return VrrpDropReason.AddressCountMismatch;
        }

        foreach (var vip in config.VirtualAddresses)
        {
            if (!advert.Addresses.Contains(vip.Address))
            {
                return VrrpDropReason.AddressListMismatch;
            }
        }

        return VrrpDropReason.None;
    }

    private static bool LegacyUnicastChecksumVerifies(ReadOnlySpan<byte> message, in VrrpPacketInfo info, VrrpRouterConfig config) =>
        config.DetectLegacyUnicastChecksum &&
        config.UsesUnicast &&
        config.Version == VrrpConstants.VRRP_VERSION_3 &&
        config.Family == System.Net.Sockets.AddressFamily.InterNetwork &&
        !info.Destination.Equals(VrrpConstants.VRRP_MCAST_GROUP4) &&
        VrrpCodec.VerifyChecksum(message, info.Source, VrrpConstants.VRRP_MCAST_GROUP4);
}
