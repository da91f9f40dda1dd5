using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Reconciler.Linux.Netlink;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Reconciler.Linux.Native;

/// <summary>
/// The system calls of the VRRP edge: raw IPv4/IPv6 sockets of protocol 112 (VRRP), AF_PACKET sockets for gratuitous
/// ARP and unsolicited neighbour advertisements, poll. Like <see cref="LinuxNative"/>: EINTR retried, failures turned
/// into <see cref="NetlinkException"/> (an errno exception) naming the call.
/// </summary>
internal static unsafe class PacketNative
{
    public const int IPPROTO_VRRP = 112;
    public const int ETH_P_ARP = 0x0806;
    public const int ETH_P_IPV6 = 0x86DD;

    private const int SolIp = 0;
    private const int SolIpv6 = 41;
    private const int SolSocket = 1;
    private const int SoBindToDevice = 25;
    private const int IpTtl = 2;
    private const int IpMulticastIf = 32;
    private const int IpMulticastTtl = 33;
    private const int IpMulticastLoop = 34;
    private const int IpAddMembership = 35;
    private const int IpMulticastAll = 49;
    private const int Ipv6Checksum = 7;
    private const int Ipv6UnicastHops = 16;
    private const int Ipv6MulticastIf = 17;
    private const int Ipv6MulticastHops = 18;
    private const int Ipv6MulticastLoop = 19;
    private const int Ipv6JoinGroup = 20;
    private const int Ipv6MulticastAll = 29;
    private const int Ipv6RecvPktInfo = 49;
    private const int Ipv6PktInfo = 50;
    private const int Ipv6RecvHopLimit = 51;
    private const int Ipv6HopLimit = 52;
    private const short PollIn = 1;

    [StructLayout(LayoutKind.Sequential)]
    private struct SockaddrIn
    {
        public ushort Family;
        public ushort Port;
        public uint Address;
        public ulong Zero;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct SockaddrIn6
    {
        public ushort Family;
        public ushort Port;
        public uint FlowInfo;
        public fixed byte Address[16];
        public uint ScopeId;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct SockaddrLl
    {
        public ushort Family;
        public ushort Protocol;
        public int InterfaceIndex;
        public ushort HardwareType;
        public byte PacketType;
        public byte AddressLength;
        public fixed byte Address[8];
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct IpMreqn
    {
        public uint Multiaddr;
        public uint Address;
        public int InterfaceIndex;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Ipv6Mreq
    {
        public fixed byte Multiaddr[16];
        public int InterfaceIndex;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [DllImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static extern int Poll(PollFd* fds, ulong count, int timeout);

    /// <summary>
    /// A raw socket of protocol 112 on <paramref name="interfaceName"/> (SO_BINDTODEVICE), TTL / hop limit 255,
    /// multicast loop off, multicast sent out of that interface. For sending, <paramref name="source"/> binds the
    /// source address (the socket then receives only what is addressed to it: keep a second socket for receiving).
    /// For receiving, <paramref name="joinGroup"/> joins the VRRP group on the interface; IPv6 also asks for the
    /// hop limit and the destination as ancillary data, and leaves the checksum to the caller (VRRP computes its own).
    /// </summary>
    public static SafeSocketHandle OpenVrrp(AddressFamily family, string interfaceName, int interfaceIndex, IPAddress? source, IPAddress? joinGroup)
    {
        bool v6 = family == AddressFamily.InterNetworkV6;
        int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_VRRP);
        if (fd < 0)
        {
            throw Failure("socket(SOCK_RAW, 112)");
        }

        var handle = new SafeSocketHandle(fd);
        try
        {
            BindToDevice(fd, interfaceName);
            if (v6)
            {
                // A raw IPv6 socket of another protocol than ICMPv6 computes no checksum unless asked: keep it so (-1).
                SetInt(fd, SolIpv6, Ipv6Checksum, -1, "IPV6_CHECKSUM", optional: true);
                SetInt(fd, SolIpv6, Ipv6MulticastHops, 255, "IPV6_MULTICAST_HOPS");
                SetInt(fd, SolIpv6, Ipv6UnicastHops, 255, "IPV6_UNICAST_HOPS");
                SetInt(fd, SolIpv6, Ipv6MulticastLoop, 0, "IPV6_MULTICAST_LOOP");
                SetInt(fd, SolIpv6, Ipv6MulticastIf, interfaceIndex, "IPV6_MULTICAST_IF");
                SetInt(fd, SolIpv6, Ipv6RecvHopLimit, 1, "IPV6_RECVHOPLIMIT");
                SetInt(fd, SolIpv6, Ipv6RecvPktInfo, 1, "IPV6_RECVPKTINFO");
                SetInt(fd, SolIpv6, Ipv6MulticastAll, 0, "IPV6_MULTICAST_ALL", optional: true);
                if (source is not null)
                {
                    var address = default(SockaddrIn6);
                    address.Family = (ushort)AF_INET6;
                    WriteIPv6(address.Address, source);
                    address.ScopeId = source.IsIPv6LinkLocal ? (uint)interfaceIndex : 0;
                    if (bind(fd, (sockaddr*)&address, (uint)sizeof(SockaddrIn6)) < 0)
                    {
                        throw Failure($"bind({source})");
                    }
                }

                if (joinGroup is not null)
                {
                    var request = default(Ipv6Mreq);
                    WriteIPv6(request.Multiaddr, joinGroup);
                    request.InterfaceIndex = interfaceIndex;
                    if (setsockopt(fd, SolIpv6, Ipv6JoinGroup, &request, (uint)sizeof(Ipv6Mreq)) < 0)
                    {
                        throw Failure($"setsockopt(IPV6_JOIN_GROUP {joinGroup})");
                    }
                }
            }
            else
            {
                SetInt(fd, SolIp, IpTtl, 255, "IP_TTL");
                SetInt(fd, SolIp, IpMulticastTtl, 255, "IP_MULTICAST_TTL");
                SetInt(fd, SolIp, IpMulticastLoop, 0, "IP_MULTICAST_LOOP");
                SetInt(fd, SolIp, IpMulticastAll, 0, "IP_MULTICAST_ALL", optional: true);
                var outgoing = new IpMreqn { InterfaceIndex = interfaceIndex, Address = source is null ? 0 : ToUInt32(source) };
                if (setsockopt(fd, SolIp, IpMulticastIf, &outgoing, (uint)sizeof(IpMreqn)) < 0)
                {
                    throw Failure("setsockopt(IP_MULTICAST_IF)");
                }

                if (source is not null)
                {
                    var address = new SockaddrIn { Family = (ushort)AF_INET, Address = ToUInt32(source) };
                    if (bind(fd, (sockaddr*)&address, (uint)sizeof(SockaddrIn)) < 0)
                    {
                        throw Failure($"bind({source})");
                    }
                }

                if (joinGroup is not null)
                {
                    var request = new IpMreqn { Multiaddr = ToUInt32(joinGroup), InterfaceIndex = interfaceIndex };
                    if (setsockopt(fd, SolIp, IpAddMembership, &request, (uint)sizeof(IpMreqn)) < 0)
                    {
                        throw Failure($"setsockopt(IP_ADD_MEMBERSHIP {joinGroup})");
                    }
                }
            }

            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Sets the IPv4 TTL (unicast and multicast) of a socket: tests send adverts with a wrong TTL.</summary>
    public static void SetTimeToLive(SafeSocketHandle handle, int ttl)
    {
        SetInt(handle.FileDescriptor, SolIp, IpTtl, ttl, "IP_TTL");
        SetInt(handle.FileDescriptor, SolIp, IpMulticastTtl, ttl, "IP_MULTICAST_TTL");
    }

    /// <summary>An AF_PACKET SOCK_RAW socket for whole Ethernet frames of <paramref name="etherType"/>, bound to one interface (send only).</summary>
    public static SafeSocketHandle OpenPacket(int interfaceIndex, int etherType)
    {
        // Protocol 0: receive nothing; frames are sent whole with the EtherType in them.
        int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            throw Failure("socket(AF_PACKET)");
        }

        var handle = new SafeSocketHandle(fd);
        try
        {
            var address = new SockaddrLl
            {
                Family = (ushort)AF_PACKET,
                Protocol = BinaryPrimitives.ReverseEndianness((ushort)etherType),
                InterfaceIndex = interfaceIndex,
            };
            if (bind(fd, (sockaddr*)&address, (uint)sizeof(SockaddrLl)) < 0)
            {
                throw Failure("bind(AF_PACKET)");
            }

            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Sends one IP payload to <paramref name="destination"/> (the kernel adds the IP header).</summary>
    public static void SendTo(SafeSocketHandle handle, ReadOnlySpan<byte> data, IPAddress destination, int interfaceIndex)
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            int fd = handle.FileDescriptor;
            if (destination.AddressFamily == AddressFamily.InterNetworkV6)
            {
                var address = default(SockaddrIn6);
                address.Family = (ushort)AF_INET6;
                WriteIPv6(address.Address, destination);
                address.ScopeId = destination.IsIPv6LinkLocal || destination.IsIPv6Multicast ? (uint)interfaceIndex : 0;
                Send(fd, data, &address, sizeof(SockaddrIn6), "sendmsg(VRRP)");
            }
            else
            {
                var address = new SockaddrIn { Family = (ushort)AF_INET, Address = ToUInt32(destination) };
                Send(fd, data, &address, sizeof(SockaddrIn), "sendmsg(VRRP)");
            }
        }
        finally
        {
            Release(handle, added);
        }
    }

    /// <summary>Sends one whole Ethernet frame out of <paramref name="interfaceIndex"/>.</summary>
    public static void SendFrame(SafeSocketHandle handle, ReadOnlySpan<byte> frame, int interfaceIndex)
    {
        if (frame.Length < 14)
        {
            throw new ArgumentException("an Ethernet frame has a 14-byte header", nameof(frame));
        }

        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            int fd = handle.FileDescriptor;
            var address = new SockaddrLl
            {
                Family = (ushort)AF_PACKET,
                Protocol = BinaryPrimitives.ReverseEndianness(BinaryPrimitives.ReadUInt16BigEndian(frame[12..])),
                InterfaceIndex = interfaceIndex,
                AddressLength = 6,
            };
            for (int i = 0; i < 6; i++)
            {
                address.Address[i] = frame[i];
            }

            Send(fd, frame, &address, sizeof(SockaddrLl), "sendmsg(AF_PACKET)");
        }
        finally
        {
            Release(handle, added);
        }
    }

    /// <summary>Waits up to <paramref name="timeoutMilliseconds"/> for the socket to be readable.</summary>
    public static bool WaitReadable(SafeSocketHandle handle, int timeoutMilliseconds)
    {
        bool result = false;
        WithHandle(handle, fd =>
        {
            var entry = new PollFd { Fd = fd, Events = PollIn };
            while (true)
            {
                int ready = Poll(&entry, 1, timeoutMilliseconds);
                if (ready >= 0)
                {
                    result = ready > 0;
                    return;
                }

                int error = Marshal.GetLastPInvokeError();
                if (error != EINTR)
                {
                    throw new NetlinkException("poll", error);
                }
            }
        });
        return result;
    }

    /// <summary>
    /// One non-blocking recvmsg. Returns the length, or -1 when nothing is waiting. For IPv6 sockets the source
    /// comes from the sender address and the destination and hop limit from IPV6_PKTINFO / IPV6_HOPLIMIT (-1 when
    /// absent); for IPv4 the IP header is part of the data and these stay null / -1.
    /// </summary>
    public static int Receive(SafeSocketHandle handle, Span<byte> buffer, out IPAddress? source, out IPAddress? destination, out int hopLimit, out bool truncated)
    {
        IPAddress? src = null;
        IPAddress? dst = null;
        int hops = -1;
        bool cut = false;
        int length = -1;
        fixed (byte* data = buffer)
        {
            byte* dataPointer = data;
            int capacity = buffer.Length;
            WithHandle(handle, fd =>
            {
                byte* control = stackalloc byte[256];
                while (true)
                {
                    var sender = default(SockaddrIn6);
                    var vector = new iovec { iov_base = dataPointer, iov_len = (size_t)capacity };
                    var message = new msghdr
                    {
                        msg_name = &sender,
                        msg_namelen = (uint)sizeof(SockaddrIn6),
                        msg_iov = &vector,
                        msg_iovlen = 1,
                        msg_control = control,
                        msg_controllen = 256u,
                    };
                    long received = recvmsg(fd, &message, MSG_DONTWAIT);
                    if (received < 0)
                    {
                        int error = errno;
                        if (error == EINTR)
                        {
                            continue;
                        }

                        if (error == EAGAIN || error == EWOULDBLOCK)
                        {
                            return;
                        }

                        throw Failure("recvmsg(VRRP)", error);
                    }

                    cut = (message.msg_flags & MSG_TRUNC) != 0;
                    length = (int)received;
                    if (sender.Family == AF_INET6)
                    {
                        src = new IPAddress(new ReadOnlySpan<byte>(sender.Address, 16)); // no scope: compared with configured addresses
                    }

                    ParseControl(new ReadOnlySpan<byte>(control, (int)(uint)message.msg_controllen), ref dst, ref hops);
                    return;
                }
            });
        }

        source = src;
        destination = dst;
        hopLimit = hops;
        truncated = cut;
        return length;
    }

    /// <summary>Walks cmsghdrs (x86-64: 8-byte length, level, type, data aligned to 8).</summary>
    private static void ParseControl(ReadOnlySpan<byte> control, ref IPAddress? destination, ref int hopLimit)
    {
        const int headerLength = 16;
        int offset = 0;
        while (offset + headerLength <= control.Length)
        {
            long length = BinaryPrimitives.ReadInt64LittleEndian(control[offset..]);
            int level = BinaryPrimitives.ReadInt32LittleEndian(control[(offset + 8)..]);
            int type = BinaryPrimitives.ReadInt32LittleEndian(control[(offset + 12)..]);
            if (length < headerLength || offset + length > control.Length)
            {
                return;
            }

            var data = control.Slice(offset + headerLength, (int)length - headerLength);
            if (level == SolIpv6 && type == Ipv6PktInfo && data.Length >= 20)
            {
                destination = new IPAddress(data[..16]);
            }
            else if (level == SolIpv6 && type == Ipv6HopLimit && data.Length >= 4)
            {
                hopLimit = BinaryPrimitives.ReadInt32LittleEndian(data);
            }

            offset += (int)((length + 7) & ~7L);
        }
    }

    private static void Send(int fd, ReadOnlySpan<byte> data, void* address, int addressLength, string what)
    {
        fixed (byte* buffer = data)
        {
            var vector = new iovec { iov_base = buffer, iov_len = (size_t)data.Length };
            var message = new msghdr
            {
                msg_name = address,
                msg_namelen = (uint)addressLength,
                msg_iov = &vector,
                msg_iovlen = 1,
            };
            while (true)
            {
                long sent = sendmsg(fd, &message, MSG_DONTWAIT);
                if (sent >= 0)
                {
                    return;
                }

                int error = errno;
                if (error != EINTR)
                {
                    throw Failure(what, error);
                }
            }
        }
    }

    private static void BindToDevice(int fd, string interfaceName)
    {
        byte[] name = Encoding.ASCII.GetBytes(interfaceName + "\0");
        fixed (byte* value = name)
        {
            if (setsockopt(fd, SolSocket, SoBindToDevice, value, (uint)name.Length) < 0)
            {
                throw Failure($"setsockopt(SO_BINDTODEVICE {interfaceName})");
            }
        }
    }

    private static void SetInt(int fd, int level, int option, int value, string what, bool optional = false)
    {
        if (setsockopt(fd, level, option, &value, sizeof(int)) < 0 && !optional)
        {
            throw Failure($"setsockopt({what})");
        }
    }

    private static void Release(SafeSocketHandle handle, bool added)
    {
        if (added)
        {
            handle.DangerousRelease();
        }
    }

    private static void WithHandle(SafeSocketHandle handle, Action<int> action)
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            action(handle.FileDescriptor);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static void WriteIPv6(byte* destination, IPAddress address)
    {
        Span<byte> bytes = new(destination, 16);
        if (!address.TryWriteBytes(bytes, out int written) || written != 16)
        {
            throw new ArgumentException($"{address} is not IPv6", nameof(address));
        }
    }

    private static uint ToUInt32(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        if (!address.TryWriteBytes(bytes, out int written) || written != 4)
        {
            throw new ArgumentException($"{address} is not IPv4", nameof(address));
        }

        return MemoryMarshal.Read<uint>(bytes); // network order, as the kernel wants it
    }

    private static NetlinkException Failure(string call) => Failure(call, errno);

    private static NetlinkException Failure(string call, int error) => new(call, error);
}
