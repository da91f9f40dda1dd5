using Reconciler.Linux.Native;
using Reconciler.Planning.Storage;

namespace Reconciler.Linux.State;

/// <summary>Flushes a folder with fsync(2): what makes a state file's rename survive a power cut.</summary>
public sealed class FsyncDirectorySync : IDirectorySync
{
    public static FsyncDirectorySync Instance { get; } = new();

    private FsyncDirectorySync()
    {
    }

    public void Sync(string directory) => FileNative.SyncDirectory(directory);
}
