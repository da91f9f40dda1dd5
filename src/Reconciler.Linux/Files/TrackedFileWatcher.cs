using System.Buffers.Binary;
using System.Text;
using Reconciler.Linux.Native;

namespace Reconciler.Linux.Files;

/// <summary>
/// Tells whoever tracks a file (keepalived's <c>track_file</c>) that it was written, as keepalived learns it: one
/// inotify instance watching each file's directory for IN_CLOSE_WRITE, IN_DELETE and IN_MOVE, matched by name, so a
/// file created, replaced by a rename, written and closed, or removed is noticed at once, and a write still in
/// progress is not read half done (IN_CLOSE_WRITE, not IN_MODIFY: the reason this is not .NET's FileSystemWatcher,
/// which reports modifications and would read a file truncated but not yet written). One background thread waits
/// for events; callbacks run on it and should be quick.
/// </summary>
public sealed class TrackedFileWatcher : IDisposable
{
    private const uint Mask = InotifyNative.IN_CLOSE_WRITE | InotifyNative.IN_DELETE | InotifyNative.IN_MOVE;
    private static readonly Lazy<TrackedFileWatcher> SharedWatcher = new(() => new TrackedFileWatcher());

    private readonly Lock _lock = new();
    private readonly List<Subscription> _subscriptions = [];
    private readonly Dictionary<string, int> _directories = new(StringComparer.Ordinal);
    private SafeSocketHandle? _inotify;
    private Thread? _thread;
    private volatile bool _disposed;

    /// <summary>The process's one watcher (one inotify instance for every tracked file).</summary>
    public static TrackedFileWatcher Shared => SharedWatcher.Value;

    /// <summary>Calls <paramref name="changed"/> whenever <paramref name="path"/> is written and closed, moved in or
    /// out, or removed, until the result is disposed. Throws <see cref="IOException"/> when the directory cannot be
    /// watched (it does not exist, or inotify is out of watches).</summary>
    public IDisposable Watch(string path, Action changed)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(changed);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full) ?? "/";
        var name = Path.GetFileName(full);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _inotify ??= InotifyNative.Open();
            if (!_directories.TryGetValue(directory, out var wd))
            {
                wd = InotifyNative.AddWatch(_inotify, directory, Mask);
                _directories[directory] = wd;
            }

            var subscription = new Subscription(this, wd, name, changed);
            _subscriptions.Add(subscription);
            if (_thread is null)
            {
                _thread = new Thread(Loop) { IsBackground = true, Name = "tracked files" };
                _thread.Start();
            }

            return subscription;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _subscriptions.Clear();
        }

        _thread?.Join();
        _inotify?.Dispose();
    }

    private void Loop()
    {
        var buffer = new byte[4096];
        while (!_disposed)
        {
            int count;
            try
            {
                count = InotifyNative.Read(_inotify!, buffer, 250);
            }
            catch (IOException)
            {
                return;
            }

            for (var offset = 0; offset + InotifyNative.EventHeaderSize <= count;)
            {
                var span = buffer.AsSpan(offset);
                var wd = BinaryPrimitives.ReadInt32LittleEndian(span);
                var mask = BinaryPrimitives.ReadUInt32LittleEndian(span[4..]);
                var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(span[12..]);
                var name = span.Slice(InotifyNative.EventHeaderSize, Math.Min(length, span.Length - InotifyNative.EventHeaderSize));
                var terminator = name.IndexOf((byte)0);
                var fileName = Encoding.UTF8.GetString(terminator >= 0 ? name[..terminator] : name);
                offset += InotifyNative.EventHeaderSize + length;
                if ((mask & InotifyNative.IN_ISDIR) == 0 && (mask & Mask) != 0)
                {
                    Notify(wd, fileName);
                }
            }
        }
    }

    private void Notify(int wd, string name)
    {
        Subscription[] matching;
        lock (_lock)
        {
            matching = [.. _subscriptions.Where(s => s.Wd == wd && s.Name == name)];
        }

        foreach (var subscription in matching)
        {
            subscription.Changed();
        }
    }

    private sealed class Subscription(TrackedFileWatcher owner, int wd, string name, Action changed) : IDisposable
    {
        public int Wd { get; } = wd;

        public string Name { get; } = name;

        public Action Changed { get; } = changed;

        public void Dispose()
        {
            lock (owner._lock)
            {
                owner._subscriptions.Remove(this);
            }
        }
    }
}
