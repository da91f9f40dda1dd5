namespace Reconciler.Linux.Netlink;

/// <summary>The kernel's answer broke the netlink protocol: a truncated message, a wrong sequence number or port
/// id, an attribute that runs past its container.</summary>
public sealed class NetlinkProtocolException : NetlinkException
{
    public NetlinkProtocolException(string message)
        : base(message, 0)
    {
    }

    public NetlinkProtocolException()
        : this("malformed netlink message")
    {
    }

    public NetlinkProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
