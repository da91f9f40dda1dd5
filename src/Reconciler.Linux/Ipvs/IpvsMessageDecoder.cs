using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Reconciler.Ipvs;
using Reconciler.Linux.Netlink;
using static Reconciler.Linux.Ipvs.IpvsNetlink;

namespace Reconciler.Linux.Ipvs;

/// <summary>
/// Reads IPVS replies into the model, the mirror of <see cref="IpvsMessageEncoder"/>. Unknown attributes are skipped.
/// Normalises what the kernel adds, so equal settings compare equal: HASHED is stripped, the netmask of a service that
/// is not persistent reads as the family's default.
/// </summary>
internal static class IpvsMessageDecoder
{
    public const uint DefaultIpv4Netmask = 0xffffffff;
    public const uint DefaultIpv6PrefixLength = 128;

    /// <summary>A NEW_SERVICE reply (or request): its IPVS_CMD_ATTR_SERVICE.</summary>
    /// <remarks>Without <paramref name="withStatistics"/> the counters are not decoded (<see cref="IpvsStats.Zero"/>):
    /// a plan never reads them, and at 10,000 x 10 they are 110,000 objects a reading.</remarks>
    public static ServiceEntry ReadServiceMessage(NetlinkMessage message, bool withStatistics = true)
    {
        var attributes = message.Attributes(GenericNetlink.GENL_HDRLEN);
        while (attributes.TryRead(out var attribute))
        {
            if (attribute.Type == IPVS_CMD_ATTR_SERVICE)
            {
                return ReadService(attribute.Nested, withStatistics);
            }
        }

        throw new NetlinkProtocolException("IPVS service message without IPVS_CMD_ATTR_SERVICE");
    }

    /// <summary>A NEW_DEST reply (or request): its IPVS_CMD_ATTR_DEST; the family defaults to the service's.</summary>
    public static DestinationEntry ReadDestinationMessage(NetlinkMessage message, AddressFamily serviceFamily, bool withStatistics = true)
    {
        var attributes = message.Attributes(GenericNetlink.GENL_HDRLEN);
        while (attributes.TryRead(out var attribute))
        {
            if (attribute.Type == IPVS_CMD_ATTR_DEST)
            {
                return ReadDestination(attribute.Nested, serviceFamily, withStatistics);
            }
        }

        throw new NetlinkProtocolException("IPVS destination message without IPVS_CMD_ATTR_DEST");
    }

    public static ServiceEntry ReadService(NetlinkAttributeReader attributes, bool withStatistics = true)
    {
        ushort family = 0;
        ushort protocol = 0;
        ReadOnlySpan<byte> address = default;
        ushort port = 0;
        uint mark = 0;
        string scheduler = "";
        string? engine = null;
        uint flags = 0;
        uint timeout = 0;
        ReadOnlySpan<byte> netmask = default;
        ReadOnlySpan<byte> stats = default;
        ReadOnlySpan<byte> stats64 = default;
        while (attributes.TryRead(out var attribute))
        {
            switch (attribute.Type)
            {
                case IPVS_SVC_ATTR_AF: family = attribute.GetUInt16(); break;
                case IPVS_SVC_ATTR_PROTOCOL: protocol = attribute.GetUInt16(); break;
                case IPVS_SVC_ATTR_ADDR: address = attribute.Value; break;
                case IPVS_SVC_ATTR_PORT: port = attribute.GetUInt16BigEndian(); break;
                case IPVS_SVC_ATTR_FWMARK: mark = attribute.GetUInt32(); break;
                case IPVS_SVC_ATTR_SCHED_NAME: scheduler = attribute.GetString(); break;
                case IPVS_SVC_ATTR_PE_NAME: engine = attribute.GetString(); break;
                case IPVS_SVC_ATTR_FLAGS:
                    var pair = attribute.Value;
                    if (pair.Length < 8)
                    {
                        throw new NetlinkProtocolException($"IPVS_SVC_ATTR_FLAGS of {pair.Length} bytes");
                    }

                    flags = BinaryPrimitives.ReadUInt32LittleEndian(pair) & BinaryPrimitives.ReadUInt32LittleEndian(pair[4..]);
                    break;
                case IPVS_SVC_ATTR_TIMEOUT: timeout = attribute.GetUInt32(); break;
                case IPVS_SVC_ATTR_NETMASK: netmask = attribute.Value; break;
                case IPVS_SVC_ATTR_STATS: stats = attribute.Value; break;
                case IPVS_SVC_ATTR_STATS64: stats64 = attribute.Value; break;
                default: break; // newer kernels may add attributes
            }
        }

        var addressFamily = AddressFamilyOf(family);
        if (mark == 0 && protocol == 0)
        {
            throw new NetlinkProtocolException("IPVS service with neither a firewall mark nor a protocol");
        }

        var key = mark != 0
            ? ServiceKey.ForFirewallMark(addressFamily, mark)
            : ServiceKey.ForAddress((IpvsProtocol)protocol, ReadAddress(address, addressFamily), port);
        var serviceFlags = (IpvsServiceFlags)flags & ~IpvsServiceFlags.Hashed;
        var service = new IpvsService(
            key,
            scheduler,
            serviceFlags,
            timeout,
            ReadNetmask(netmask, addressFamily, (serviceFlags & IpvsServiceFlags.Persistent) != 0),
            string.IsNullOrEmpty(engine) ? null : engine);
        return new ServiceEntry(service, withStatistics ? PreferStats64(stats, stats64) : IpvsStats.Zero);
    }

    public static DestinationEntry ReadDestination(NetlinkAttributeReader attributes, AddressFamily serviceFamily, bool withStatistics = true)
    {
        ushort family = 0;
        ReadOnlySpan<byte> address = default;
        ushort port = 0;
        uint forwarding = 0;
        uint weight = 0;
        uint upper = 0;
        uint lower = 0;
        uint active = 0;
        uint inactive = 0;
        uint persistent = 0;
        byte tunnelType = 0;
        ushort tunnelPort = 0;
        ushort tunnelFlags = 0;
        ReadOnlySpan<byte> stats = default;
        ReadOnlySpan<byte> stats64 = default;
        while (attributes.TryRead(out var attribute))
        {
            switch (attribute.Type)
            {
                case IPVS_DEST_ATTR_ADDR: address = attribute.Value; break;
                case IPVS_DEST_ATTR_PORT: port = attribute.GetUInt16BigEndian(); break;
                case IPVS_DEST_ATTR_FWD_METHOD: forwarding = attribute.GetUInt32() & IP_VS_CONN_F_FWD_MASK; break;
                case IPVS_DEST_ATTR_WEIGHT: weight = attribute.GetUInt32(); break;
                case IPVS_DEST_ATTR_U_THRESH: upper = attribute.GetUInt32(); break;
                case IPVS_DEST_ATTR_L_THRESH: lower = attribute.GetUInt32(); break;
                case IPVS_DEST_ATTR_ACTIVE_CONNS: active = attribute.GetUInt32(); break;
                case IPVS_DEST_ATTR_INACT_CONNS: inactive = attribute.GetUInt32(); break;
                case IPVS_DEST_ATTR_PERSIST_CONNS: persistent = attribute.GetUInt32(); break;
                case IPVS_DEST_ATTR_STATS: stats = attribute.Value; break;
                case IPVS_DEST_ATTR_STATS64: stats64 = attribute.Value; break;
                case IPVS_DEST_ATTR_ADDR_FAMILY: family = attribute.GetUInt16(); break;
                case IPVS_DEST_ATTR_TUN_TYPE: tunnelType = attribute.GetUInt8(); break;
                case IPVS_DEST_ATTR_TUN_PORT: tunnelPort = attribute.GetUInt16BigEndian(); break;
                case IPVS_DEST_ATTR_TUN_FLAGS: tunnelFlags = attribute.GetUInt16(); break;
                default: break;
            }
        }

        var addressFamily = family == 0 ? serviceFamily : AddressFamilyOf(family);
        var isTunnel = (IpvsForwarding)forwarding == IpvsForwarding.Tunnel;
        var destination = new IpvsDestination(
            ReadAddress(address, addressFamily),
            port,
            (IpvsForwarding)forwarding,
            unchecked((int)weight),
            upper,
            lower,
            isTunnel ? (IpvsTunnelType)tunnelType : IpvsTunnelType.Ipip,
            isTunnel ? tunnelPort : (ushort)0,
            isTunnel ? (IpvsTunnelFlags)tunnelFlags : IpvsTunnelFlags.None);
        return new DestinationEntry(destination, active, inactive, persistent, withStatistics ? PreferStats64(stats, stats64) : IpvsStats.Zero);
    }

    /// <summary>STATS64 when the kernel sent it (newer kernels send both), else STATS, else zeros.</summary>
    private static IpvsStats PreferStats64(ReadOnlySpan<byte> stats, ReadOnlySpan<byte> stats64) =>
        !stats64.IsEmpty ? ReadStats(new NetlinkAttributeReader(stats64), wide: true)
        : !stats.IsEmpty ? ReadStats(new NetlinkAttributeReader(stats), wide: false)
        : IpvsStats.Zero;

    /// <summary>IPVS_STATS_ATTR_*: in STATS the packet and rate counters are u32, bytes u64; in STATS64 all u64.</summary>
    public static IpvsStats ReadStats(NetlinkAttributeReader attributes, bool wide)
    {
        Span<ulong> values = stackalloc ulong[11];
        while (attributes.TryRead(out var attribute))
        {
            if (attribute.Type is >= IPVS_STATS_ATTR_CONNS and <= IPVS_STATS_ATTR_OUTBPS)
            {
                bool is64 = wide || attribute.Type is IPVS_STATS_ATTR_INBYTES or IPVS_STATS_ATTR_OUTBYTES;
                values[attribute.Type] = is64 ? attribute.GetUInt64() : attribute.GetUInt32();
            }
        }

        return new IpvsStats(values[1], values[2], values[3], values[4], values[5], values[6], values[7], values[8], values[9], values[10]);
    }

    public static IpvsInfo ReadInfo(NetlinkMessage message)
    {
        uint version = 0;
        uint size = 0;
        var attributes = message.Attributes(GenericNetlink.GENL_HDRLEN);
        while (attributes.TryRead(out var attribute))
        {
            switch (attribute.Type)
            {
                case IPVS_INFO_ATTR_VERSION: version = attribute.GetUInt32(); break;
                case IPVS_INFO_ATTR_CONN_TAB_SIZE: size = attribute.GetUInt32(); break;
                default: break;
            }
        }

        return new IpvsInfo(version, size);
    }

    public static IpvsTimeouts ReadTimeouts(NetlinkMessage message)
    {
        uint tcp = 0;
        uint fin = 0;
        uint udp = 0;
        var attributes = message.Attributes(GenericNetlink.GENL_HDRLEN);
        while (attributes.TryRead(out var attribute))
        {
            switch (attribute.Type)
            {
                case IPVS_CMD_ATTR_TIMEOUT_TCP: tcp = attribute.GetUInt32(); break;
                case IPVS_CMD_ATTR_TIMEOUT_TCP_FIN: fin = attribute.GetUInt32(); break;
                case IPVS_CMD_ATTR_TIMEOUT_UDP: udp = attribute.GetUInt32(); break;
                default: break;
            }
        }

        return new IpvsTimeouts(tcp, fin, udp);
    }

    public static IpvsSyncDaemon? ReadDaemonMessage(NetlinkMessage message)
    {
        var attributes = message.Attributes(GenericNetlink.GENL_HDRLEN);
        while (attributes.TryRead(out var attribute))
        {
            if (attribute.Type == IPVS_CMD_ATTR_DAEMON)
            {
                return ReadDaemon(attribute.Nested);
            }
        }

        return null;
    }

    public static IpvsSyncDaemon ReadDaemon(NetlinkAttributeReader attributes)
    {
        uint state = 0;
        string interfaceName = "";
        uint syncId = 0;
        ushort? maxLength = null;
        IPAddress? group = null;
        ushort? port = null;
        byte? ttl = null;
        while (attributes.TryRead(out var attribute))
        {
            switch (attribute.Type)
            {
                case IPVS_DAEMON_ATTR_STATE: state = attribute.GetUInt32(); break;
                case IPVS_DAEMON_ATTR_MCAST_IFN: interfaceName = attribute.GetString(); break;
                case IPVS_DAEMON_ATTR_SYNC_ID: syncId = attribute.GetUInt32(); break;
                case IPVS_DAEMON_ATTR_SYNC_MAXLEN: maxLength = attribute.GetUInt16(); break;
                case IPVS_DAEMON_ATTR_MCAST_GROUP: group = ReadAddress(attribute.Value, AddressFamily.InterNetwork); break;
                case IPVS_DAEMON_ATTR_MCAST_GROUP6: group = ReadAddress(attribute.Value, AddressFamily.InterNetworkV6); break;
                case IPVS_DAEMON_ATTR_MCAST_PORT: port = attribute.GetUInt16(); break;
                case IPVS_DAEMON_ATTR_MCAST_TTL: ttl = attribute.GetUInt8(); break;
                default: break;
            }
        }

        return new IpvsSyncDaemon((IpvsSyncDaemonState)state, interfaceName, (byte)syncId, maxLength, group, port, ttl);
    }

    public static AddressFamily AddressFamilyOf(ushort family) => family switch
    {
        AF_INET => AddressFamily.InterNetwork,
        AF_INET6 => AddressFamily.InterNetworkV6,
        _ => throw new NetlinkProtocolException($"IPVS address family {family}"),
    };

    /// <summary>The kernel answers IPv4 with 16 bytes, the address in the first 4.</summary>
    public static IPAddress ReadAddress(ReadOnlySpan<byte> bytes, AddressFamily family)
    {
        int size = family == AddressFamily.InterNetworkV6 ? 16 : 4;
        return bytes.Length >= size
            ? new IPAddress(bytes[..size])
            : throw new NetlinkProtocolException($"address of {bytes.Length} bytes for {family}");
    }

    private static uint ReadNetmask(ReadOnlySpan<byte> bytes, AddressFamily family, bool persistent)
    {
        bool v6 = family == AddressFamily.InterNetworkV6;
        if (!persistent || bytes.Length < 4)
        {
            return v6 ? DefaultIpv6PrefixLength : DefaultIpv4Netmask;
        }

        return v6 ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) : BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }
}
