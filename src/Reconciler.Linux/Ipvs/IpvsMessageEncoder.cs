using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Reconciler.Ipvs;
using Reconciler.Linux.Netlink;
using static Reconciler.Linux.Ipvs.IpvsNetlink;

namespace Reconciler.Linux.Ipvs;

/// <summary>
/// Writes IPVS request bodies (after the nlmsghdr: genlmsghdr + attributes). Attribute order and sizes follow
/// ipvsadm's libipvs, so a request reads the same as ipvsadm's in a trace: addresses always 16 bytes, ports in
/// network order, the IPv4 netmask in network order.
/// </summary>
internal static class IpvsMessageEncoder
{
    /// <summary>Writes the command's body and returns the generic netlink command.</summary>
    public static byte Write(ref NetlinkMessageWriter writer, IpvsOperation operation)
    {
        switch (operation)
        {
            case AddService add:
                writer.WriteGenericHeader(IPVS_CMD_NEW_SERVICE, IPVS_GENL_VERSION);
                WriteService(ref writer, add.Service);
                return IPVS_CMD_NEW_SERVICE;
            case UpdateService update:
                writer.WriteGenericHeader(IPVS_CMD_SET_SERVICE, IPVS_GENL_VERSION);
                WriteService(ref writer, update.Service);
                return IPVS_CMD_SET_SERVICE;
            case DeleteService delete:
                writer.WriteGenericHeader(IPVS_CMD_DEL_SERVICE, IPVS_GENL_VERSION);
                WriteServiceKey(ref writer, delete.Key);
                return IPVS_CMD_DEL_SERVICE;
            case AddDestination add:
                writer.WriteGenericHeader(IPVS_CMD_NEW_DEST, IPVS_GENL_VERSION);
                WriteServiceKey(ref writer, add.Service);
                WriteDestination(ref writer, add.Destination);
                return IPVS_CMD_NEW_DEST;
            case UpdateDestination update:
                writer.WriteGenericHeader(IPVS_CMD_SET_DEST, IPVS_GENL_VERSION);
                WriteServiceKey(ref writer, update.Service);
                WriteDestination(ref writer, update.Destination);
                return IPVS_CMD_SET_DEST;
            case DeleteDestination delete:
                writer.WriteGenericHeader(IPVS_CMD_DEL_DEST, IPVS_GENL_VERSION);
                WriteServiceKey(ref writer, delete.Service);
                WriteDestinationKey(ref writer, delete.Address, delete.Port);
                return IPVS_CMD_DEL_DEST;
            default:
                throw new ArgumentException($"unknown IPVS operation {operation.GetType().Name}", nameof(operation));
        }
    }

    /// <summary>A whole acknowledged request (nlmsghdr included) as <see cref="IpvsNetlinkClient"/> sends it.</summary>
    public static byte[] EncodeRequest(ushort familyId, uint sequence, uint portId, IpvsOperation operation)
    {
        var buffer = new byte[4096];
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(familyId, NetlinkConstants.NLM_F_REQUEST | NetlinkConstants.NLM_F_ACK, sequence, portId);
        Write(ref writer, operation);
        return buffer[..writer.EndMessage()];
    }

    /// <summary>IPVS_CMD_ATTR_SERVICE with only what identifies the service.</summary>
    public static void WriteServiceKey(ref NetlinkMessageWriter writer, ServiceKey key)
    {
        int nest = writer.BeginNested(IPVS_CMD_ATTR_SERVICE);
        WriteKeyAttributes(ref writer, key);
        writer.EndNested(nest);
    }

    /// <summary>IPVS_CMD_ATTR_SERVICE with every setting NEW_SERVICE and SET_SERVICE require.</summary>
    public static void WriteService(ref NetlinkMessageWriter writer, IpvsService service)
    {
        int nest = writer.BeginNested(IPVS_CMD_ATTR_SERVICE);
        WriteKeyAttributes(ref writer, service.Key);
        writer.WriteString(IPVS_SVC_ATTR_SCHED_NAME, service.Scheduler);
        if (!string.IsNullOrEmpty(service.PersistenceEngine))
        {
            writer.WriteString(IPVS_SVC_ATTR_PE_NAME, service.PersistenceEngine);
        }

        Span<byte> flags = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(flags, (uint)(service.Flags & ~IpvsServiceFlags.Hashed));
        BinaryPrimitives.WriteUInt32LittleEndian(flags[4..], uint.MaxValue);
        writer.WriteAttribute(IPVS_SVC_ATTR_FLAGS, flags);
        writer.WriteUInt32(IPVS_SVC_ATTR_TIMEOUT, service.TimeoutSeconds);
        WriteNetmask(ref writer, service.Key.Family, service.Netmask);
        writer.EndNested(nest);
    }

    /// <summary>IPVS_CMD_ATTR_DEST with every setting NEW_DEST and SET_DEST require.</summary>
    public static void WriteDestination(ref NetlinkMessageWriter writer, IpvsDestination destination)
    {
        int nest = writer.BeginNested(IPVS_CMD_ATTR_DEST);
        writer.WriteUInt16(IPVS_DEST_ATTR_ADDR_FAMILY, Family(destination.Address.AddressFamily));
        WriteAddress(ref writer, IPVS_DEST_ATTR_ADDR, destination.Address);
        writer.WriteUInt16BigEndian(IPVS_DEST_ATTR_PORT, destination.Port);
        writer.WriteUInt32(IPVS_DEST_ATTR_FWD_METHOD, (uint)destination.Forwarding & IP_VS_CONN_F_FWD_MASK);
        writer.WriteUInt32(IPVS_DEST_ATTR_WEIGHT, unchecked((uint)destination.Weight));
        // ipvsadm 1.31 sends the tunnel attributes for every forwarding method; so do we.
        writer.WriteUInt8(IPVS_DEST_ATTR_TUN_TYPE, (byte)destination.TunnelType);
        writer.WriteUInt16BigEndian(IPVS_DEST_ATTR_TUN_PORT, destination.TunnelPort);
        writer.WriteUInt16(IPVS_DEST_ATTR_TUN_FLAGS, (ushort)destination.TunnelFlags);

        writer.WriteUInt32(IPVS_DEST_ATTR_U_THRESH, destination.UpperThreshold);
        writer.WriteUInt32(IPVS_DEST_ATTR_L_THRESH, destination.LowerThreshold);
        writer.EndNested(nest);
    }

    /// <summary>IPVS_CMD_ATTR_DEST naming a destination (DEL_DEST).</summary>
    public static void WriteDestinationKey(ref NetlinkMessageWriter writer, IPAddress address, ushort port)
    {
        int nest = writer.BeginNested(IPVS_CMD_ATTR_DEST);
        writer.WriteUInt16(IPVS_DEST_ATTR_ADDR_FAMILY, Family(address.AddressFamily));
        WriteAddress(ref writer, IPVS_DEST_ATTR_ADDR, address);
        writer.WriteUInt16BigEndian(IPVS_DEST_ATTR_PORT, port);
        writer.EndNested(nest);
    }

    public static void WriteTimeouts(ref NetlinkMessageWriter writer, IpvsTimeouts timeouts)
    {
        writer.WriteGenericHeader(IPVS_CMD_SET_CONFIG, IPVS_GENL_VERSION);
        if (timeouts.Tcp != 0)
        {
            writer.WriteUInt32(IPVS_CMD_ATTR_TIMEOUT_TCP, timeouts.Tcp);
        }

        if (timeouts.TcpFin != 0)
        {
            writer.WriteUInt32(IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, timeouts.TcpFin);
        }

        if (timeouts.Udp != 0)
        {
            writer.WriteUInt32(IPVS_CMD_ATTR_TIMEOUT_UDP, timeouts.Udp);
        }
    }

    public static void WriteStartDaemon(ref NetlinkMessageWriter writer, IpvsSyncDaemon daemon)
    {
        writer.WriteGenericHeader(IPVS_CMD_NEW_DAEMON, IPVS_GENL_VERSION);
        int nest = writer.BeginNested(IPVS_CMD_ATTR_DAEMON);
        writer.WriteUInt32(IPVS_DAEMON_ATTR_STATE, (uint)daemon.State);
        writer.WriteString(IPVS_DAEMON_ATTR_MCAST_IFN, daemon.MulticastInterface);
        writer.WriteUInt32(IPVS_DAEMON_ATTR_SYNC_ID, daemon.SyncId);
        if (daemon.SyncMaxLength is { } maxLength)
        {
            writer.WriteUInt16(IPVS_DAEMON_ATTR_SYNC_MAXLEN, maxLength);
        }

        if (daemon.MulticastPort is { } port)
        {
            writer.WriteUInt16(IPVS_DAEMON_ATTR_MCAST_PORT, port);
        }

        if (daemon.MulticastTtl is { } ttl)
        {
            writer.WriteUInt8(IPVS_DAEMON_ATTR_MCAST_TTL, ttl);
        }

        if (daemon.MulticastGroup is { } group)
        {
            if (group.AddressFamily == AddressFamily.InterNetworkV6)
            {
                WriteAddress(ref writer, IPVS_DAEMON_ATTR_MCAST_GROUP6, group);
            }
            else
            {
                Span<byte> bytes = stackalloc byte[4];
                group.TryWriteBytes(bytes, out _);
                writer.WriteAttribute(IPVS_DAEMON_ATTR_MCAST_GROUP, bytes);
            }
        }

        writer.EndNested(nest);
    }

    public static void WriteStopDaemon(ref NetlinkMessageWriter writer, IpvsSyncDaemonState state)
    {
        writer.WriteGenericHeader(IPVS_CMD_DEL_DAEMON, IPVS_GENL_VERSION);
        int nest = writer.BeginNested(IPVS_CMD_ATTR_DAEMON);
        writer.WriteUInt32(IPVS_DAEMON_ATTR_STATE, (uint)state);
        writer.EndNested(nest);
    }

    public static ushort Family(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => AF_INET,
        AddressFamily.InterNetworkV6 => AF_INET6,
        _ => throw new ArgumentException($"IPVS handles IPv4 and IPv6, not {family}", nameof(family)),
    };

    private static void WriteKeyAttributes(ref NetlinkMessageWriter writer, ServiceKey key)
    {
        writer.WriteUInt16(IPVS_SVC_ATTR_AF, Family(key.Family));
        if (key.IsFirewallMark)
        {
            writer.WriteUInt32(IPVS_SVC_ATTR_FWMARK, key.FirewallMark);
        }
        else
        {
            writer.WriteUInt16(IPVS_SVC_ATTR_PROTOCOL, (ushort)key.Protocol);
            WriteAddress(ref writer, IPVS_SVC_ATTR_ADDR, key.Address!);
            writer.WriteUInt16BigEndian(IPVS_SVC_ATTR_PORT, key.Port);
        }
    }

    /// <summary>union nf_inet_addr: 16 bytes, an IPv4 address in the first 4.</summary>
    private static void WriteAddress(ref NetlinkMessageWriter writer, ushort type, IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        bytes.Clear();
        if (!address.TryWriteBytes(bytes, out _))
        {
            throw new ArgumentException($"cannot encode address {address}", nameof(address));
        }

        writer.WriteAttribute(type, bytes);
    }

    /// <summary>IPv4: the mask in network order (255.255.255.0 is ff ff ff 00); IPv6: the prefix length.</summary>
    private static void WriteNetmask(ref NetlinkMessageWriter writer, AddressFamily family, uint netmask)
    {
        if (family == AddressFamily.InterNetworkV6)
        {
            writer.WriteUInt32(IPVS_SVC_ATTR_NETMASK, netmask);
        }
        else
        {
            Span<byte> bytes = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(bytes, netmask);
            writer.WriteAttribute(IPVS_SVC_ATTR_NETMASK, bytes);
        }
    }
}
