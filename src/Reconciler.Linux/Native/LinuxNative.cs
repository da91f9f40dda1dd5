using System.Runtime.InteropServices;
using Reconciler.Linux.Netlink;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Reconciler.Linux.Native;

/// <summary>
/// Every system call of the project, and the only unsafe code. Each wrapper retries EINTR and turns a failure into
/// a <see cref="NetlinkException"/> naming the call.
/// </summary>
internal static unsafe class LinuxNative
{
    private const int NetlinkCapAck = 10; // NETLINK_CAP_ACK
    private const int NetlinkExtAck = 11; // NETLINK_EXT_ACK

    [StructLayout(LayoutKind.Sequential)]
    private struct SockaddrNetlink
    {
        public ushort Family;
        public ushort Pad;
        public uint PortId;
        public uint Groups;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeValue
    {
        public long Seconds;
        public long Microseconds;
    }

    public static int Close(int fd) => close(fd);

    /// <summary>Receives up to <paramref name="lengths"/>.Length datagrams in one recvmmsg(2) (MSG_WAITFORONE: waits
    /// for the first only), datagram i into slot i of <paramref name="buffer"/> (slots of
    /// <paramref name="slotSize"/> bytes). Returns how many arrived (0: SO_RCVTIMEO expired); a datagram from anyone
    /// but the kernel gets length 0.</summary>
    public static int ReceiveManyFromKernel(SafeSocketHandle handle, Span<byte> buffer, int slotSize, Span<int> lengths)
    {
        const int MaxSlots = 64;
        int slots = Math.Min(Math.Min(lengths.Length, MaxSlots), buffer.Length / slotSize);
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            fixed (byte* data = buffer)
            {
                var senders = stackalloc SockaddrNetlink[MaxSlots];
                var vectors = stackalloc iovec[MaxSlots];
                var messages = stackalloc mmsghdr[MaxSlots];
                while (true)
                {
                    for (int i = 0; i < slots; i++)
                    {
                        senders[i] = default;
                        vectors[i] = new iovec { iov_base = data + (i * slotSize), iov_len = (size_t)slotSize };
                        messages[i] = default;
                        messages[i].msg_hdr = new msghdr
                        {
                            msg_name = senders + i,
                            msg_namelen = (uint)sizeof(SockaddrNetlink),
                            msg_iov = vectors + i,
                            msg_iovlen = 1,
                        };
                    }

                    int received = recvmmsg(handle.FileDescriptor, messages, (uint)slots, MSG_WAITFORONE, null);
                    if (received < 0)
                    {
                        int error = Marshal.GetLastPInvokeError();
                        if (error == EINTR)
                        {
                            continue;
                        }

                        if (error == EAGAIN || error == EWOULDBLOCK)
                        {
                            return 0;
                        }

                        throw Failure("recvmmsg(AF_NETLINK)", error);
                    }

                    for (int i = 0; i < received; i++)
                    {
                        if ((messages[i].msg_hdr.msg_flags & MSG_TRUNC) != 0)
                        {
                            throw new NetlinkProtocolException($"a netlink datagram did not fit the {slotSize}-byte buffer");
                        }

                        lengths[i] = senders[i].PortId == 0 ? (int)messages[i].msg_len : 0;
                    }

                    return received;
                }
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int recvmmsg(int fd, mmsghdr* vector, uint length, int flags, void* timeout);

    /// <summary>socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol) bound to an auto-assigned port id.</summary>
    public static SafeSocketHandle OpenNetlink(int protocol, out uint portId)
    {
        int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
        if (fd < 0)
        {
            throw Failure("socket(AF_NETLINK)");
        }

        var handle = new SafeSocketHandle(fd);
        try
        {
            var address = new SockaddrNetlink { Family = (ushort)AF_NETLINK };
            if (bind(fd, (sockaddr*)&address, (uint)sizeof(SockaddrNetlink)) < 0)
            {
                throw Failure("bind(AF_NETLINK)");
            }

            socklen_t length = (uint)sizeof(SockaddrNetlink);
            if (getsockname(fd, (sockaddr*)&address, &length) < 0)
            {
                throw Failure("getsockname(AF_NETLINK)");
            }

            portId = address.PortId;

            // Acks carry only the header of the request they answer, and extended acks their error text.
            SetInt(handle, SOL_NETLINK, NetlinkCapAck, 1, "setsockopt(NETLINK_CAP_ACK)", optional: true);
            SetInt(handle, SOL_NETLINK, NetlinkExtAck, 1, "setsockopt(NETLINK_EXT_ACK)", optional: true);
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="action"/> on a new thread that first joins the network namespace at
    /// <paramref name="namespacePath"/> (e.g. /run/netns/NAME). Sockets created there stay in that namespace.</summary>
    public static T InNetworkNamespace<T>(string namespacePath, Func<T> action)
    {
        T? result = default;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                int nsFd;
                fixed (byte* path = System.Text.Encoding.UTF8.GetBytes(namespacePath + "\0"))
                {
                    nsFd = open(path, O_RDONLY | O_CLOEXEC, 0);
                }

                if (nsFd < 0)
                {
                    throw Failure($"open({namespacePath})");
                }

                try
                {
                    if (setns(nsFd, CLONE_NEWNET) < 0)
                    {
                        throw Failure($"setns({namespacePath})");
                    }
                }
                finally
                {
                    close(nsFd);
                }

                result = action();
            }
            catch (Exception exception)
            {
                failure = exception;
            }
        })
        {
            IsBackground = true,
            Name = "netns " + namespacePath,
        };
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw failure;
        }

        return result!;
    }

    public static void SetReceiveTimeout(SafeSocketHandle handle, TimeSpan timeout)
    {
        long micros = Math.Max(1, (long)(timeout.TotalMilliseconds * 1000));
        var value = new TimeValue { Seconds = micros / 1_000_000, Microseconds = micros % 1_000_000 };
        if (setsockopt(handle.FileDescriptor, SOL_SOCKET, SO_RCVTIMEO, &value, (uint)sizeof(TimeValue)) < 0)
        {
            throw Failure("setsockopt(SO_RCVTIMEO)");
        }
    }

    /// <summary>Asks for at least <paramref name="bytes"/> (SO_RCVBUFFORCE, which needs CAP_NET_ADMIN, then
    /// SO_RCVBUF) and returns what the kernel granted.</summary>
    public static int SetBufferSize(SafeSocketHandle handle, bool receive, int bytes)
    {
        int force = receive ? SO_RCVBUFFORCE : SO_SNDBUFFORCE;
        int plain = receive ? SO_RCVBUF : SO_SNDBUF;
        string name = receive ? "SO_RCVBUF" : "SO_SNDBUF";
        if (!SetInt(handle, SOL_SOCKET, force, bytes, $"setsockopt({name}FORCE)", optional: true))
        {
            SetInt(handle, SOL_SOCKET, plain, bytes, $"setsockopt({name})", optional: true);
        }

        int granted;
        socklen_t length = sizeof(int);
        if (getsockopt(handle.FileDescriptor, SOL_SOCKET, plain, &granted, &length) < 0)
        {
            throw Failure($"getsockopt({name})");
        }

        return granted;
    }

    /// <summary>sendmsg to the kernel (port id 0), all of <paramref name="data"/> in one datagram.</summary>
    public static void SendToKernel(SafeSocketHandle handle, ReadOnlySpan<byte> data)
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            var kernel = new SockaddrNetlink { Family = (ushort)AF_NETLINK };
            fixed (byte* buffer = data)
            {
                var vector = new iovec { iov_base = buffer, iov_len = (size_t)data.Length };
                var message = new msghdr
                {
                    msg_name = &kernel,
                    msg_namelen = (uint)sizeof(SockaddrNetlink),
                    msg_iov = &vector,
                    msg_iovlen = 1,
                };
                while (true)
                {
                    long sent = sendmsg(handle.FileDescriptor, &message, 0);
                    if (sent >= 0)
                    {
                        if (sent != data.Length)
                        {
                            throw new NetlinkProtocolException($"sendmsg sent {sent} of {data.Length} bytes");
                        }

                        return;
                    }

                    if (errno != EINTR)
                    {
                        throw Failure("sendmsg(AF_NETLINK)");
                    }
                }
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>One recvmsg. Returns the datagram's length, or -1 when SO_RCVTIMEO expired. Datagrams from anyone
    /// but the kernel are dropped; a datagram larger than the buffer is an error, never silently cut.</summary>
    public static int ReceiveFromKernel(SafeSocketHandle handle, Span<byte> buffer)
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            fixed (byte* data = buffer)
            {
                while (true)
                {
                    var sender = default(SockaddrNetlink);
                    var vector = new iovec { iov_base = data, iov_len = (size_t)buffer.Length };
                    var message = new msghdr
                    {
                        msg_name = &sender,
                        msg_namelen = (uint)sizeof(SockaddrNetlink),
                        msg_iov = &vector,
                        msg_iovlen = 1,
                    };
                    long received = recvmsg(handle.FileDescriptor, &message, 0);
                    if (received < 0)
                    {
                        int error = errno;
                        if (error == EINTR)
                        {
                            continue;
                        }

                        if (error == EAGAIN || error == EWOULDBLOCK)
                        {
                            return -1;
                        }

                        throw Failure("recvmsg(AF_NETLINK)", error);
                    }

                    if ((message.msg_flags & MSG_TRUNC) != 0)
                    {
                        throw new NetlinkProtocolException($"a netlink datagram did not fit the {buffer.Length}-byte buffer");
                    }

                    if (sender.PortId != 0)
                    {
                        continue; // not from the kernel
                    }

                    return (int)received;
                }
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static bool SetInt(SafeSocketHandle handle, int level, int option, int value, string what, bool optional)
    {
        if (setsockopt(handle.FileDescriptor, level, option, &value, sizeof(int)) == 0)
        {
            return true;
        }

        return optional ? false : throw Failure(what);
    }

    private static NetlinkException Failure(string call) => Failure(call, errno);

    private static NetlinkException Failure(string call, int error) => new(call, error);
}
