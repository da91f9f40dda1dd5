using System.Runtime.InteropServices;

namespace Reconciler.Linux.Native;

/// <summary>Owns one socket file descriptor; closes it exactly once.</summary>
internal sealed class SafeSocketHandle : SafeHandle
{
    public SafeSocketHandle()
        : base(invalidHandleValue: -1, ownsHandle: true)
    {
    }

    public SafeSocketHandle(int fd)
        : this()
    {
        SetHandle(fd);
    }

    public override bool IsInvalid => handle.ToInt64() < 0;

    public int FileDescriptor => (int)handle.ToInt64();

    protected override bool ReleaseHandle() => LinuxNative.Close((int)handle.ToInt64()) == 0;
}
