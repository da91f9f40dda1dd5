using System.Text;
using Reconciler.Planning.Storage;

namespace Reconciler.Planning.Tests.Storage;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class StateFilesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("state-files-").FullName;

    private string Folder => Path.Combine(_root, "state");

    [Fact]
    public void WriteAtomically_WiderFolderAndFileBefore_BothMadePrivate_NewContent_FolderSyncedAfterTheRename()
    {
        Directory.CreateDirectory(Folder);
        File.SetUnixFileMode(Folder, (UnixFileMode)0b111_101_101); // 0755, as systemd's StateDirectory= makes it
        var path = Path.Combine(Folder, "ownership.json");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100); // 0644
        var sync = new RecordingSync(path);

        StateFiles.WriteAtomically(path, stream => stream.Write("new"u8), sync);

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(StateFiles.PrivateFileMode, File.GetUnixFileMode(path));
        Assert.Equal(StateFiles.PrivateFolderMode, File.GetUnixFileMode(Folder));
        Assert.Equal([(Folder, "new")], sync.Calls);
        Assert.Equal(["ownership.json"], Directory.GetFiles(Folder).Select(Path.GetFileName));
    }

    [Fact]
    public void WriteAtomically_WriterFails_OldFileIntact_NoTemporaryLeft_NothingSynced()
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, "git-source.json");
        File.WriteAllText(path, "old");
        var sync = new RecordingSync(path);

        var error = Assert.Throws<IOException>(() => StateFiles.WriteAtomically(path, stream =>
        {
            stream.Write("half of a new"u8);
            throw new IOException("disk full");
        }, sync));

        Assert.Equal("disk full", error.Message);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["git-source.json"], Directory.GetFiles(Folder).Select(Path.GetFileName));
        Assert.Empty(sync.Calls);
    }

    [Fact]
    public void OpenAppend_CreatesAPrivateFileInAPrivateFolder_SyncsTheFolderOnlyWhenItCreatedTheFile()
    {
        var path = Path.Combine(Folder, "audit.jsonl");
        var sync = new RecordingSync(path);

        using (var stream = StateFiles.OpenAppend(path, sync))
        {
            stream.Write("one\n"u8);
        }

        File.SetUnixFileMode(path, (UnixFileMode)0b110_110_110); // 0666: widened by hand meanwhile
        using (var stream = StateFiles.OpenAppend(path, sync))
        {
            stream.Write("two\n"u8);
        }

        Assert.Equal("one\ntwo\n", File.ReadAllText(path));
        Assert.Equal(StateFiles.PrivateFileMode, File.GetUnixFileMode(path));
        Assert.Equal(StateFiles.PrivateFolderMode, File.GetUnixFileMode(Folder));
        Assert.Equal([(Folder, "")], sync.Calls);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>Records each flush of a folder and what the watched file held at that moment.</summary>
    private sealed class RecordingSync(string watched) : IDirectorySync
    {
        public List<(string Directory, string Content)> Calls { get; } = [];

        public void Sync(string directory) =>
            Calls.Add((directory, File.Exists(watched) ? Encoding.UTF8.GetString(File.ReadAllBytes(watched)) : "(missing)"));
    }
}
