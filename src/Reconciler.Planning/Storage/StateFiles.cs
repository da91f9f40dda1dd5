namespace Reconciler.Planning.Storage;

/// <summary>
/// The state folder's files (ownership record, last good revision, audit journal), for the agent and the command line
/// alike: private to their owner, root (0600 in a 0700 folder, set with chmod after creating, so the umask does not
/// matter and a folder made 0755 by someone else is tightened), and replaced atomically and durably (a temporary file
/// in the same folder, flushed to disk, renamed over the old one, then the folder itself flushed so that the rename
/// survives a power cut). A crash leaves the old file or the new one, never half of one.
/// </summary>
public static class StateFiles
{
    public const UnixFileMode PrivateFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public const UnixFileMode PrivateFolderMode = PrivateFileMode | UnixFileMode.UserExecute;

    /// <summary>
    /// How a folder's entries are flushed to disk (fsync(2) of the folder): installed by the process's entry point,
    /// since native code has one home (Reconciler.Linux). Until then renames are atomic but not yet durable.
    /// </summary>
    public static IDirectorySync DirectorySync { get; set; } = NoDirectorySync.Instance;

    /// <summary>Creates <paramref name="directory"/> (and missing parents) and makes it 0700; returns its full path.</summary>
    public static string EnsurePrivateFolder(string directory)
    {
        var full = Path.GetFullPath(directory);
        Directory.CreateDirectory(full);
        if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(full) != PrivateFolderMode)
        {
            File.SetUnixFileMode(full, PrivateFolderMode);
        }

        return full;
    }

    /// <summary>Replaces <paramref name="path"/> with what <paramref name="write"/> writes, atomically and durably, mode 0600.</summary>
    public static void WriteAtomically(string path, Action<Stream> write) => WriteAtomically(path, write, DirectorySync);

    /// <summary><see cref="WriteAtomically(string, Action{Stream})"/> with an explicit way to flush the folder.</summary>
    public static void WriteAtomically(string path, Action<Stream> write, IDirectorySync directorySync)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(directorySync);
        var full = Path.GetFullPath(path);
        var directory = EnsurePrivateFolder(Path.GetDirectoryName(full)!);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, Private(FileMode.Create, FileShare.None)))
            {
                MakePrivate(stream);
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        directorySync.Sync(directory);
    }

    /// <summary>Opens <paramref name="path"/> for appending (created 0600 in a 0700 folder; an existing file is made 0600).</summary>
    public static FileStream OpenAppend(string path) => OpenAppend(path, DirectorySync);

    /// <summary><see cref="OpenAppend(string)"/> with an explicit way to flush the folder when the file is created.</summary>
    public static FileStream OpenAppend(string path, IDirectorySync directorySync)
    {
        ArgumentNullException.ThrowIfNull(directorySync);
        var full = Path.GetFullPath(path);
        var directory = EnsurePrivateFolder(Path.GetDirectoryName(full)!);
        var created = !File.Exists(full);
        var options = Private(FileMode.Append, FileShare.Read);
        options.BufferSize = 1;
        var stream = new FileStream(full, options);
        try
        {
            MakePrivate(stream);
            if (created)
            {
                directorySync.Sync(directory);
            }

            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static FileStreamOptions Private(FileMode mode, FileShare share)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = share };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateFileMode;
        }

        return options;
    }

    /// <summary>chmod 0600 on the open file: its creation mode was masked by the umask, and an older file may be wider.</summary>
    private static void MakePrivate(FileStream stream)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(stream.SafeFileHandle, PrivateFileMode);
        }
    }
}

/// <summary>Flushes a folder's entries (created, renamed, removed files) to disk.</summary>
public interface IDirectorySync
{
    /// <summary>Throws <see cref="IOException"/> when the folder cannot be flushed.</summary>
    void Sync(string directory);
}

/// <summary>No flush: what a process without the native edge gets (renames stay atomic).</summary>
public sealed class NoDirectorySync : IDirectorySync
{
    public static NoDirectorySync Instance { get; } = new();

    private NoDirectorySync()
    {
    }

    public void Sync(string directory)
    {
    }
}
