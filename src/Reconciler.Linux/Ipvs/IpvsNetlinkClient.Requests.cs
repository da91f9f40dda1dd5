using Reconciler.Ipvs;
using Reconciler.Linux.Native;
using Reconciler.Linux.Netlink;
using static Reconciler.Linux.Ipvs.IpvsNetlink;

namespace Reconciler.Linux.Ipvs;

/// <summary>Request plumbing: family resolution, errno to <see cref="IpvsException"/>.</summary>
public sealed partial class IpvsNetlinkClient
{
    private delegate void ReplyReader(NetlinkMessage reply);

    /// <summary>The IPVS family id, resolved now if it is not yet known.</summary>
    private ushort FamilyId
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_familyId == 0)
            {
                ushort? id;
                try
                {
                    id = GenericNetlinkFamily.TryResolve(_connection, _familyName);
                }
                catch (NetlinkException exception)
                {
                    throw Translate(exception.Operation, exception);
                }

                _familyId = id ?? throw new IpvsException(
                    "resolve generic netlink family IPVS", Errno.ENOENT, "the kernel has no IPVS family (is the ip_vs module loaded?)");
            }

            return _familyId;
        }
    }

    /// <summary>A command without attributes, acknowledged, with an optional reply.</summary>
    private void Simple(string operation, byte command, ReplyReader? onReply)
    {
        ushort family = FamilyId;
        try
        {
            _connection.Request(
                operation,
                family,
                0,
                (Command: command, OnReply: onReply),
                static (ref NetlinkMessageWriter writer, (byte Command, ReplyReader? OnReply) state) =>
                    writer.WriteGenericHeader(state.Command, IPVS_GENL_VERSION),
                static (reply, state) => state.OnReply?.Invoke(reply));
        }
        catch (NetlinkException exception)
        {
            throw Translate(operation, exception);
        }
    }

    /// <summary>An acknowledged command whose body <paramref name="body"/> writes, genlmsghdr included.</summary>
    private void Send<TState>(string operation, TState state, NetlinkBodyWriter<TState> body, NetlinkReplyHandler<TState>? onReply = null)
    {
        ushort family = FamilyId;
        try
        {
            _connection.Request(operation, family, 0, state, body, onReply);
        }
        catch (NetlinkException exception)
        {
            throw Translate(operation, exception);
        }
    }

    /// <summary>A dump, read to NLMSG_DONE; returns how many parts it came in.</summary>
    private int Dump<TState>(string operation, TState state, NetlinkBodyWriter<TState> body, NetlinkReplyHandler<TState> onReply) =>
        Dump(_connection, operation, state, body, onReply);

    private int Dump<TState>(NetlinkConnection connection, string operation, TState state, NetlinkBodyWriter<TState> body, NetlinkReplyHandler<TState> onReply)
    {
        ushort family = FamilyId;
        try
        {
            return connection.Request(operation, family, 0, state, body, onReply, dump: true);
        }
        catch (NetlinkException exception)
        {
            throw Translate(operation, exception);
        }
    }

    /// <summary>"add real server 10.0.0.5:80 to TCP 10.0.0.120:80: File exists".</summary>
    internal static IpvsException Translate(string operation, NetlinkException exception) => exception switch
    {
        NetlinkTimeoutException timeout => new IpvsException(operation, Errno.ETIMEDOUT, $"no reply within {timeout.Timeout.TotalSeconds:0.###} s"),
        NetlinkProtocolException => new IpvsException($"{operation}: {exception.Message}", exception),
        _ => new IpvsException(operation, exception.Errno, ErrnoText(exception)),
    };

    internal static IpvsException Translate(string operation, NetlinkError error) =>
        new(operation, error.Errno, error.KernelMessage is null ? Errno.Describe(error.Errno) : $"{Errno.Describe(error.Errno)} ({error.KernelMessage})");

    private static string ErrnoText(NetlinkException exception) => exception.KernelMessage is null
        ? Errno.Describe(exception.Errno)
        : $"{Errno.Describe(exception.Errno)} ({exception.KernelMessage})";
}
