using System.Runtime.InteropServices;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Reconciler.Linux.Native;

/// <summary>inotify(7), which Tmds.LibC does not wrap: an instance, directory watches, and a bounded wait for events.</summary>
internal static unsafe class InotifyNative
{
    public const uint IN_CLOSE_WRITE = 0x00000008;
    public const uint IN_MOVED_FROM = 0x00000040;
    public const uint IN_MOVED_TO = 0x00000080;
    public const uint IN_DELETE = 0x00000200;
    public const uint IN_ISDIR = 0x40000000;
    public const uint IN_MOVE = IN_MOVED_FROM | IN_MOVED_TO;
    private const int IN_NONBLOCK = 0x800;
    private const int IN_CLOEXEC = 0x80000;

    /// <summary>The fixed part of <c>struct inotify_event</c>: wd, mask, cookie, len, then len bytes of name.</summary>
    public const int EventHeaderSize = 16;

    /// <summary>inotify_init1(IN_NONBLOCK | IN_CLOEXEC).</summary>
    public static SafeSocketHandle Open()
    {
        var fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (fd < 0)
        {
            throw Failure("inotify_init1", string.Empty);
        }

        return new SafeSocketHandle(fd);
    }

    /// <summary>inotify_add_watch on a directory; the same directory twice gives the same descriptor.</summary>
    public static int AddWatch(SafeSocketHandle handle, string directory, uint mask)
    {
        var path = System.Text.Encoding.UTF8.GetBytes(directory + "\0");
        fixed (byte* name = path)
        {
            var wd = inotify_add_watch((int)handle.DangerousGetHandle(), name, mask);
            return wd >= 0 ? wd : throw Failure("inotify_add_watch", directory);
        }
    }

    /// <summary>Waits up to <paramref name="timeoutMs"/> for events, then reads what is there into
    /// <paramref name="buffer"/>: the byte count, 0 on timeout or EINTR.</summary>
    public static int Read(SafeSocketHandle handle, Span<byte> buffer, int timeoutMs)
    {
        var fd = (int)handle.DangerousGetHandle();
        var poller = new pollfd { fd = fd, events = POLLIN };
        var ready = poll(&poller, 1, timeoutMs);
        if (ready <= 0)
        {
            return ready < 0 && Marshal.GetLastPInvokeError() != EINTR ? throw Failure("poll", "inotify") : 0;
        }

        fixed (byte* data = buffer)
        {
            var count = read(fd, data, buffer.Length);
            if (count < 0)
            {
                var error = Marshal.GetLastPInvokeError();
                return error == EAGAIN || error == EINTR ? 0 : throw Failure("read", "inotify");
            }

            return (int)count;
        }
    }

    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int inotify_init1(int flags);

    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int inotify_add_watch(int fd, byte* pathname, uint mask);

    private static IOException Failure(string call, string what)
    {
        var error = Marshal.GetLastPInvokeError();
        return new IOException($"{call}({what}) failed: {Marshal.GetPInvokeErrorMessage(error)} (errno {error})");
    }
}
