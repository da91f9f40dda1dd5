namespace Reconciler.Ipvs;

/// <summary>
/// The kernel refused an IPVS request. The message names the operation, the object and the errno text:
/// <c>add real server 10.0.0.5:80 to TCP 10.0.0.120:80: File exists</c>.
/// </summary>
public sealed class IpvsException : Exception
{
    public IpvsException(string operation, int errno, string errnoText)
        : base($"{operation}: {errnoText}")
    {
        Operation = operation;
        Errno = errno;
    }

    public IpvsException()
        : this("ipvs request", 0, "failed")
    {
    }

    public IpvsException(string message)
        : base(message)
    {
        Operation = message;
    }

    public IpvsException(string message, Exception innerException)
        : base(message, innerException)
    {
        Operation = message;
    }

    /// <summary>What was attempted, naming its object.</summary>
    public string Operation { get; } = "";

    /// <summary>The positive errno the kernel answered (EEXIST 17, ESRCH 3, ENOENT 2, EINVAL 22, ...); 0 if none.</summary>
    public int Errno { get; }
}
