using System.Runtime.InteropServices;
using System.Text;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Reconciler.Linux.Native;

/// <summary>The system calls of <see cref="Scripts.ScriptRunner"/>: file ownership, accounts, process groups.</summary>
internal static unsafe class ProcessNative
{
    /// <summary>Owner, group and mode bits of what <paramref name="path"/> names (symbolic links followed), or the
    /// errno of stat(2).</summary>
    public static (FileIdentity? Identity, int Errno) Stat(string path)
    {
        var bytes = NullTerminated(path);
        fixed (byte* name = bytes)
        {
            stat buffer;
            while (true)
            {
                if (stat(name, &buffer) == 0)
                {
                    return (new FileIdentity((uint)buffer.st_uid, (uint)buffer.st_gid, (uint)buffer.st_mode), 0);
                }

                int error = Marshal.GetLastPInvokeError();
                if (error != EINTR)
                {
                    return (null, error);
                }
            }
        }
    }

    /// <summary>realpath(3): the path with every symbolic link and <c>..</c> resolved, or null when it does not exist.</summary>
    public static string? RealPath(string path)
    {
        var bytes = NullTerminated(path);
        fixed (byte* name = bytes)
        {
            byte* resolved = realpath(name, null);
            if (resolved is null)
            {
                return null;
            }

            try
            {
                return Marshal.PtrToStringUTF8((IntPtr)resolved);
            }
            finally
            {
                free(resolved);
            }
        }
    }

    /// <summary>The account's uid and primary gid, or null when there is no such account.</summary>
    public static (uint Uid, uint Gid)? LookUpUser(string name)
    {
        var bytes = NullTerminated(name);
        var buffer = new byte[16384];
        fixed (byte* user = bytes)
        fixed (byte* scratch = buffer)
        {
            Passwd entry;
            Passwd* found;
            int error = getpwnam_r(user, &entry, scratch, (nuint)buffer.Length, &found);
            if (error != 0)
            {
                throw new InvalidOperationException($"getpwnam_r(\"{name}\") failed: {Errno.Describe(error)}");
            }

            return found is null ? null : (entry.Uid, entry.Gid);
        }
    }

    /// <summary>SIGKILL to every process of the group <paramref name="processGroup"/>. False when none is left.</summary>
    public static bool KillProcessGroup(int processGroup)
    {
        if (processGroup <= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(processGroup), processGroup, "Not a process group of a command.");
        }

        return kill(-processGroup, SIGKILL) == 0;
    }

    private static byte[] NullTerminated(string text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Passwd
    {
        public byte* Name;
        public byte* Password;
        public uint Uid;
        public uint Gid;
        public byte* Gecos;
        public byte* Directory;
        public byte* Shell;
    }

    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int getpwnam_r(byte* name, Passwd* entry, byte* buffer, nuint length, Passwd** result);

    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern byte* realpath(byte* path, byte* resolved);

    [DllImport("libc")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern void free(void* pointer);
}

/// <summary>What stat(2) says about a file's ownership and permissions.</summary>
internal readonly record struct FileIdentity(uint OwnerUid, uint GroupGid, uint Mode)
{
    public const uint SetUid = 0x800;
    public const uint Sticky = 0x200; // S_ISVTX
    public const uint GroupWrite = 0x10; // S_IWGRP
    public const uint OthersWrite = 0x2; // S_IWOTH
    public const uint AnyExecute = 0x49; // S_IXUSR | S_IXGRP | S_IXOTH

    public bool IsRegularFile => (Mode & 0xF000) == 0x8000;

    public bool IsDirectory => (Mode & 0xF000) == 0x4000;
}
