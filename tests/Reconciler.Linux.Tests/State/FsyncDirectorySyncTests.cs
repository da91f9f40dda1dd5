using Reconciler.Linux.Native;
using Reconciler.Linux.State;
using Reconciler.Planning.Storage;

namespace Reconciler.Linux.Tests.State;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class FsyncDirectorySyncTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("fsync-").FullName;

    [Fact]
    public void Sync_ARealFolder_Returns_AMissingOne_FailsNamingIt()
    {
        FsyncDirectorySync.Instance.Sync(_root);

        var missing = Path.Combine(_root, "missing");
        var error = Assert.Throws<IOException>(() => FsyncDirectorySync.Instance.Sync(missing));
        Assert.Contains($"open({missing})", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0b010_111_111)] // 0277: the owner may not even write what it creates
    [InlineData(0)] // 0000: everyone could
    public void WriteAtomically_StateFilesArePrivateWhateverTheUmask(int umask)
    {
        var folder = Path.Combine(_root, "state-" + umask);
        var path = Path.Combine(folder, "ownership.json");
        int previous = FileNative.SetUmask(umask);
        try
        {
            StateFiles.WriteAtomically(path, stream => stream.Write("{}"u8), FsyncDirectorySync.Instance);
        }
        finally
        {
            FileNative.SetUmask(previous);
        }

        Assert.Equal(StateFiles.PrivateFileMode, File.GetUnixFileMode(path));
        Assert.Equal(StateFiles.PrivateFolderMode, File.GetUnixFileMode(folder));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
