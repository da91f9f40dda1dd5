using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Reconciler.Linux.Netlink;
using Reconciler.Topology.Model;

namespace Reconciler.Linux.Route;

/// <summary>
/// Encodes and decodes rtnetlink address and link messages (pure: spans in, spans out; golden-byte tested).
/// Decoding is the mirror of encoding; unknown attributes are skipped.
/// </summary>
public static partial class RouteMessages
{
    /// <summary>struct ifaddrmsg followed by what RTM_NEWADDR / RTM_DELADDR need: IFA_LOCAL and IFA_ADDRESS (the
    /// same address: no peer), and for an add IFA_FLAGS.</summary>
    public static void WriteAddressRequest(ref NetlinkMessageWriter writer, int interfaceIndex, InterfaceAddress address, uint flags, bool includeFlags)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> header = stackalloc byte[RouteNetlink.IfAddressMessageLength];
        header[0] = FamilyOf(address.Address);
        header[1] = (byte)address.PrefixLength;
        header[2] = (byte)(flags & 0xFF);
        header[3] = ScopeOf(address.Address);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], interfaceIndex);
        writer.WriteFamilyHeader(header);

        Span<byte> bytes = stackalloc byte[16];
        address.Address.TryWriteBytes(bytes, out int length);
        writer.WriteAttribute(RouteNetlink.IFA_LOCAL, bytes[..length]);
        writer.WriteAttribute(RouteNetlink.IFA_ADDRESS, bytes[..length]);
        if (includeFlags)
        {
            writer.WriteUInt32(RouteNetlink.IFA_FLAGS, flags);
        }
    }

    /// <summary>The ifaddrmsg of an RTM_GETADDR dump, filtered by family (AF_UNSPEC: all).</summary>
    public static void WriteAddressDumpRequest(ref NetlinkMessageWriter writer, byte family)
    {
        Span<byte> header = stackalloc byte[RouteNetlink.IfAddressMessageLength];
        header.Clear();
        header[0] = family;
        writer.WriteFamilyHeader(header);
    }

    /// <summary>The ifinfomsg of an RTM_GETLINK: a dump (index 0), or one link by index, or by IFLA_IFNAME.</summary>
    public static void WriteLinkRequest(ref NetlinkMessageWriter writer, int interfaceIndex, string? name)
    {
        Span<byte> header = stackalloc byte[RouteNetlink.IfInfoMessageLength];
        header.Clear();
        header[0] = RouteNetlink.AF_UNSPEC;
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], interfaceIndex);
        writer.WriteFamilyHeader(header);
        if (name is not null)
        {
            writer.WriteString(RouteNetlink.IFLA_IFNAME, name);
        }
    }

    /// <summary>Decodes an RTM_NEWADDR (dump entry). False for a family other than IPv4/IPv6 or a message without an address.</summary>
    public static bool TryReadAddress(NetlinkMessage message, out LinkAddress? address)
    {
        address = null;
        var payload = message.Payload;
        if (payload.Length < RouteNetlink.IfAddressMessageLength)
        {
            throw new NetlinkProtocolException($"RTM_NEWADDR of {payload.Length} bytes");
        }

        byte family = payload[0];
        if (family is not (RouteNetlink.AF_INET or RouteNetlink.AF_INET6))
        {
            return false;
        }

        int prefix = payload[1];
        uint flags = payload[2];
        byte scope = payload[3];
        int index = BinaryPrimitives.ReadInt32LittleEndian(payload[4..]);
        IPAddress? local = null;
        IPAddress? peer = null;
        string? label = null;
        int addressLength = family == RouteNetlink.AF_INET ? 4 : 16;
        var attributes = message.Attributes(RouteNetlink.IfAddressMessageLength);
        while (attributes.TryRead(out var attribute))
        {
            switch (attribute.Type)
            {
                case RouteNetlink.IFA_LOCAL when attribute.Value.Length == addressLength:
                    local = new IPAddress(attribute.Value);
                    break;
                case RouteNetlink.IFA_ADDRESS when attribute.Value.Length == addressLength:
                    peer = new IPAddress(attribute.Value);
                    break;
                case RouteNetlink.IFA_LABEL:
                    label = attribute.GetString();
                    break;
                case RouteNetlink.IFA_FLAGS:
                    flags = attribute.GetUInt32();
                    break;
            }
        }

        // IFA_LOCAL is the interface's own address; IFA_ADDRESS the peer on point-to-point links (IPv6 sends only IFA_ADDRESS).
        var own = local ?? peer;
        if (own is null)
        {
            return false;
        }

        address = new LinkAddress(index, new InterfaceAddress(own, prefix), scope, flags, label);
        return true;
    }

    /// <summary>Decodes an RTM_NEWLINK (dump entry or answer).</summary>
    public static LinkInfo ReadLink(NetlinkMessage message)
    {
        var payload = message.Payload;
        if (payload.Length < RouteNetlink.IfInfoMessageLength)
        {
            throw new NetlinkProtocolException($"RTM_NEWLINK of {payload.Length} bytes");
        }

        int index = BinaryPrimitives.ReadInt32LittleEndian(payload[4..]);
        uint flags = BinaryPrimitives.ReadUInt32LittleEndian(payload[8..]);
        string name = "";
        bool? carrier = null;
        byte[] mac = [];
        byte operstate = 0;
        var attributes = message.Attributes(RouteNetlink.IfInfoMessageLength);
        while (attributes.TryRead(out var attribute))
        {
            switch (attribute.Type)
            {
                case RouteNetlink.IFLA_IFNAME:
                    name = attribute.GetString();
                    break;
                case RouteNetlink.IFLA_ADDRESS:
                    mac = attribute.Value.ToArray();
                    break;
                case RouteNetlink.IFLA_CARRIER:
                    carrier = attribute.GetUInt8() != 0;
                    break;
                case RouteNetlink.IFLA_OPERSTATE:
                    operstate = attribute.GetUInt8();
                    break;
            }
        }

        return new LinkInfo(index, name, flags, carrier, mac, operstate);
    }

    public static byte FamilyOf(IPAddress address) => address.AddressFamily switch
    {
        AddressFamily.InterNetwork => RouteNetlink.AF_INET,
        AddressFamily.InterNetworkV6 => RouteNetlink.AF_INET6,
        _ => throw new ArgumentException($"{address} is neither IPv4 nor IPv6", nameof(address)),
    };

    /// <summary>The scope <c>ip addr add</c> picks: host for loopback addresses, link for IPv6 link-local, else universe.</summary>
    public static byte ScopeOf(IPAddress address)
    {
        if (IPAddress.IsLoopback(address))
        {
            return RouteNetlink.RT_SCOPE_HOST;
        }

        return address.IsIPv6LinkLocal ? RouteNetlink.RT_SCOPE_LINK : RouteNetlink.RT_SCOPE_UNIVERSE;
    }
}
