using Reconciler.Linux.Files;

namespace Reconciler.Linux.Tests.Files;

/// <summary>Real inotify on a temporary directory: each way a tracked file changes wakes its subscriber.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TrackedFileWatcherTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("tracked-file-");
    private readonly TrackedFileWatcher _watcher = new();
    private readonly SemaphoreSlim _woken = new(0);
    private int _wakes;

    public TrackedFileWatcherTests()
    {
        _watcher.Watch(Tracked, () =>
        {
            Interlocked.Increment(ref _wakes);
            _woken.Release();
        });
    }

    private string Tracked => Path.Combine(_directory.FullName, "prio");

    public void Dispose()
    {
        _watcher.Dispose();
        _directory.Delete(recursive: true);
        _woken.Dispose();
    }

    private async Task WokenAsync(string what) =>
        Assert.True(await _woken.WaitAsync(Bound, TestContext.Current.CancellationToken), $"no wake after {what}");

    [Fact]
    public async Task Write_ClosedAfterWriting_Wakes()
    {
        await File.WriteAllTextAsync(Tracked, "5\n", TestContext.Current.CancellationToken);

        await WokenAsync("a write");
    }

    [Fact]
    public async Task RenameIntoPlace_Wakes_TheTemporaryFileDoesNot()
    {
        var temporary = Path.Combine(_directory.FullName, "prio.tmp");
        await File.WriteAllTextAsync(temporary, "7\n", TestContext.Current.CancellationToken);

        File.Move(temporary, Tracked, overwrite: true);

        // The temporary file's events came first, on the same thread: had they woken the subscriber, it would count two.
        await WokenAsync("a rename into place");
        Assert.Equal(1, Volatile.Read(ref _wakes));
    }

    [Fact]
    public async Task Delete_Wakes()
    {
        await File.WriteAllTextAsync(Tracked, "1", TestContext.Current.CancellationToken);
        await WokenAsync("the write before the delete");

        File.Delete(Tracked);

        await WokenAsync("a delete");
    }

    [Fact]
    public async Task OtherFileInTheDirectory_DoesNotWake()
    {
        await File.WriteAllTextAsync(Path.Combine(_directory.FullName, "other"), "1", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Tracked, "2", TestContext.Current.CancellationToken);

        await WokenAsync("the tracked file's write");
        Assert.Equal(1, Volatile.Read(ref _wakes));
    }

    [Fact]
    public async Task DisposedSubscription_NoLongerWakes()
    {
        var other = 0;
        var otherPath = Path.Combine(_directory.FullName, "gone");
        _watcher.Watch(otherPath, () => Interlocked.Increment(ref other)).Dispose();

        await File.WriteAllTextAsync(otherPath, "1", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Tracked, "2", TestContext.Current.CancellationToken);

        await WokenAsync("the tracked file's write");
        Assert.Equal(0, Volatile.Read(ref other));
    }

    [Fact]
    public void Watch_MissingDirectory_ThrowsIOException()
    {
        Assert.ThrowsAny<IOException>(() => _watcher.Watch(Path.Combine(_directory.FullName, "no", "such"), () => { }));
    }
}
