using Reconciler.Linux.Native;

namespace Reconciler.Linux.Netlink;

/// <summary>No reply came before the deadline. The socket has been replaced, so a late reply cannot be mistaken
/// for the answer to a later request.</summary>
public sealed class NetlinkTimeoutException : NetlinkException
{
    public NetlinkTimeoutException(string operation, TimeSpan timeout)
        : base($"{operation}: no reply within {timeout.TotalSeconds:0.###} s", Native.Errno.ETIMEDOUT)
    {
        Timeout = timeout;
    }

    public NetlinkTimeoutException()
        : this("netlink request", TimeSpan.Zero)
    {
    }

    public NetlinkTimeoutException(string message)
        : this(message, TimeSpan.Zero)
    {
    }

    public NetlinkTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TimeSpan Timeout { get; }
}
