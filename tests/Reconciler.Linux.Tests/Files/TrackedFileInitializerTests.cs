using Reconciler.Linux.Files;
using Reconciler.Topology.Model;

namespace Reconciler.Linux.Tests.Files;

/// <summary>keepalived's <c>init_file</c> on a real temporary directory.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TrackedFileInitializerTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("track-init-");

    private string Tracked => Path.Combine(_directory.FullName, "prio");

    public void Dispose() => _directory.Delete(recursive: true);

    private string? Init(int value, bool overwrite, bool atStart) =>
        TrackedFileInitializer.Initialize("prio", Tracked, new TrackedFileInit(value, overwrite), atStart);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Missing_Created_AtStartAndOnAReload_ValueAndNewline_Mode0644(bool atStart)
    {
        Assert.Null(Init(-5, overwrite: false, atStart));

        Assert.Equal("-5\n", System.IO.File.ReadAllText(Tracked));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, System.IO.File.GetUnixFileMode(Tracked));
        Assert.Equal(["prio"], _directory.GetFiles().Select(f => f.Name));
    }

    [Theory]
    [InlineData(false, true, "7\n")]
    [InlineData(true, true, "3\n")]
    [InlineData(true, false, "7\n")]
    public void Existing_OverwrittenOnlyWithOverwriteAtStart(bool overwrite, bool atStart, string expected)
    {
        System.IO.File.WriteAllText(Tracked, "7\n");

        Assert.Null(Init(3, overwrite, atStart));

        Assert.Equal(expected, System.IO.File.ReadAllText(Tracked));
    }

    [Fact]
    public void Overwrite_ADirectoryAtThePath_Refused()
    {
        Directory.CreateDirectory(Tracked);

        var problem = Init(1, overwrite: true, atStart: true);

        Assert.Equal($"cannot initialise track file prio ({Tracked}): it is not a regular file", problem);
        Assert.True(Directory.Exists(Tracked));
    }

    [Fact]
    public void Overwrite_ALinkToAFile_ReplacesTheLink_TheTargetUntouched()
    {
        var target = Path.Combine(_directory.FullName, "target");
        System.IO.File.WriteAllText(target, "9\n");
        System.IO.File.CreateSymbolicLink(Tracked, target);

        Assert.Null(Init(2, overwrite: true, atStart: true));

        Assert.Equal("9\n", System.IO.File.ReadAllText(target));
        Assert.Null(new FileInfo(Tracked).LinkTarget);
        Assert.Equal("2\n", System.IO.File.ReadAllText(Tracked));
    }

    [Fact]
    public void Topology_OnlyFilesWithInit_AProblemPerFileThatCannotBeWritten()
    {
        var unwritable = Path.Combine(_directory.FullName, "no", "such", "dir");
        var topology = new Topology.Model.Topology([], [File("a", Tracked, new TrackedFileInit(4, false)), File("b", unwritable, new TrackedFileInit(1, false)),
            File("c", Path.Combine(_directory.FullName, "c"), null)], [], []);

        var problems = TrackedFileInitializer.Initialize(topology, atStart: true);

        Assert.StartsWith($"unable to initialise track file b ({unwritable}): ", Assert.Single(problems), StringComparison.Ordinal);
        Assert.Equal("4\n", System.IO.File.ReadAllText(Tracked));
        Assert.False(System.IO.File.Exists(Path.Combine(_directory.FullName, "c")));
    }

    private static TrackedCheck File(string name, string path, TrackedFileInit? init) =>
        new(name, [], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), 1, 1, 1) { File = new TrackedFile(path, false, init) };
}
