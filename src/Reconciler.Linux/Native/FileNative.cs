using System.Runtime.InteropServices;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Reconciler.Linux.Native;

/// <summary>The file system calls .NET has no managed form of (next to <see cref="LinuxNative"/>'s sockets).</summary>
internal static unsafe class FileNative
{
    /// <summary>fsync(2) of a folder, which makes the files created, renamed or removed in it durable.</summary>
    public static void SyncDirectory(string directory)
    {
        int fd;
        var path = System.Text.Encoding.UTF8.GetBytes(directory + "\0");
        fixed (byte* name = path)
        {
            do
            {
                fd = open(name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            }
            while (fd < 0 && Marshal.GetLastPInvokeError() == EINTR);
        }

        if (fd < 0)
        {
            throw Failure("open", directory);
        }

        try
        {
            int result;
            do
            {
                result = fsync(fd);
            }
            while (result < 0 && Marshal.GetLastPInvokeError() == EINTR);

            if (result < 0)
            {
                throw Failure("fsync", directory);
            }
        }
        finally
        {
            close(fd);
        }
    }

    /// <summary>umask(2): sets the file mode creation mask, returns the previous one (tests prove modes do not depend on it).</summary>
    public static int SetUmask(int mask) => (int)umask((mode_t)mask);

    private static IOException Failure(string call, string directory)
    {
        int error = Marshal.GetLastPInvokeError();
        return new IOException($"{call}({directory}) failed: {Marshal.GetPInvokeErrorMessage(error)} (errno {error})");
    }
}
