using System.Runtime.InteropServices;

namespace Reconciler.Linux.Native;

/// <summary>errno numbers the project names, and their text as strerror(3) gives it.</summary>
public static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int ESRCH = 3;
    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const int ENOMEM = 12;
    public const int EBUSY = 16;
    public const int EEXIST = 17;
    public const int EINVAL = 22;
    public const int ERANGE = 34;
    public const int EMSGSIZE = 90;
    public const int EOPNOTSUPP = 95;
    public const int ENOBUFS = 105;
    public const int ETIMEDOUT = 110;

    /// <summary>"File exists" for EEXIST, as strerror(3) says it.</summary>
    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);
}
