using Reconciler.Linux.Native;

namespace Reconciler.Linux.Netlink;

/// <summary>A system call or a netlink request failed with an errno.</summary>
public class NetlinkException : Exception
{
    public NetlinkException(string operation, int errno)
        : this(operation, errno, null)
    {
    }

    public NetlinkException(string operation, int errno, string? kernelMessage)
        : base(Format(operation, errno, kernelMessage))
    {
        Operation = operation;
        Errno = errno;
        KernelMessage = kernelMessage;
    }

    public NetlinkException()
        : this("netlink", 0)
    {
    }

    public NetlinkException(string message)
        : this(message, 0)
    {
    }

    public NetlinkException(string message, Exception innerException)
        : base(message, innerException)
    {
        Operation = message;
    }

    public string Operation { get; } = "";

    /// <summary>Positive errno; 0 when the failure had none (protocol errors).</summary>
    public int Errno { get; }

    /// <summary>The extended-ack text the kernel attached (NLMSGERR_ATTR_MSG), if any.</summary>
    public string? KernelMessage { get; }

    /// <summary>strerror(3) of <see cref="Errno"/>.</summary>
    public string ErrnoText => Errno == 0 ? "" : Native.Errno.Describe(Errno);

    private static string Format(string operation, int errno, string? kernelMessage)
    {
        string text = errno == 0 ? operation : $"{operation}: {Native.Errno.Describe(errno)}";
        return kernelMessage is null ? text : $"{text} ({kernelMessage})";
    }
}
