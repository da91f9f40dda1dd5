using System.Buffers.Binary;
using Reconciler.Linux.Netlink;

namespace Reconciler.Linux.Route;

/// <summary>
/// Encodes the rtnetlink link requests that create, change and delete links (pure: golden-byte tested), and decodes
/// IFLA_LINKINFO. The mirror of <see cref="RouteMessages.ReadLink"/> for what a macvlan needs.
/// </summary>
public static class LinkMessages
{
    /// <summary>RTM_NEWLINK creating a macvlan: IFLA_IFNAME, IFLA_LINK (the lower device), IFLA_ADDRESS (its MAC) and
    /// IFLA_LINKINFO { IFLA_INFO_KIND "macvlan", IFLA_INFO_DATA { IFLA_MACVLAN_MODE } } (as <c>ip link add NAME link
    /// LOWER address MAC type macvlan mode MODE</c> sends it). Created down.</summary>
    public static void WriteMacvlanRequest(ref NetlinkMessageWriter writer, string name, int lowerIndex, ReadOnlySpan<byte> mac, uint mode)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Span<byte> header = stackalloc byte[RouteNetlink.IfInfoMessageLength];
        header.Clear();
        header[0] = RouteNetlink.AF_UNSPEC;
        writer.WriteFamilyHeader(header);
        writer.WriteString(RouteNetlink.IFLA_IFNAME, name);
        writer.WriteUInt32(LinkNetlink.IFLA_LINK, (uint)lowerIndex);
        writer.WriteAttribute(RouteNetlink.IFLA_ADDRESS, mac);
        int info = writer.BeginNested(LinkNetlink.IFLA_LINKINFO);
        writer.WriteString(LinkNetlink.IFLA_INFO_KIND, LinkNetlink.KindMacvlan);
        int data = writer.BeginNested(LinkNetlink.IFLA_INFO_DATA);
        writer.WriteUInt32(LinkNetlink.IFLA_MACVLAN_MODE, mode);
        writer.EndNested(data);
        writer.EndNested(info);
    }

    /// <summary>RTM_NEWLINK (no create) that sets or clears IFF_UP of one link: ifi_change = IFF_UP.</summary>
    public static void WriteSetUpRequest(ref NetlinkMessageWriter writer, int interfaceIndex, bool up)
    {
        Span<byte> header = stackalloc byte[RouteNetlink.IfInfoMessageLength];
        header.Clear();
        header[0] = RouteNetlink.AF_UNSPEC;
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], interfaceIndex);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], up ? RouteNetlink.IFF_UP : 0);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], RouteNetlink.IFF_UP);
        writer.WriteFamilyHeader(header);
    }

    /// <summary>RTM_DELLINK of one link by index.</summary>
    public static void WriteDeleteRequest(ref NetlinkMessageWriter writer, int interfaceIndex)
    {
        Span<byte> header = stackalloc byte[RouteNetlink.IfInfoMessageLength];
        header.Clear();
        header[0] = RouteNetlink.AF_UNSPEC;
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], interfaceIndex);
        writer.WriteFamilyHeader(header);
    }

    /// <summary>IFLA_INFO_KIND inside an IFLA_LINKINFO attribute, or null.</summary>
    public static string? ReadKind(NetlinkAttribute linkInfo)
    {
        var nested = linkInfo.Nested;
        while (nested.TryRead(out var attribute))
        {
            if (attribute.Type == LinkNetlink.IFLA_INFO_KIND)
            {
                return attribute.GetString();
            }
        }

        return null;
    }
}
