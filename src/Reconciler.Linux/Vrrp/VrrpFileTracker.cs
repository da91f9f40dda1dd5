using Microsoft.Extensions.Logging;
using Reconciler.Linux.Files;
using Reconciler.Topology.Model;

namespace Reconciler.Linux.Vrrp;

/// <summary>
/// keepalived's <c>track_file</c> for one VRRP instance: reads the file when started and again whenever the
/// <see cref="TrackedFileWatcher"/> says it was written, moved or removed (a removed file is 0, as in keepalived),
/// and reports each new value. A number out of range is logged and ignored (the previous value stays); each
/// new value is logged once.
/// </summary>
public sealed class VrrpFileTracker : IDisposable
{
    private readonly TrackedCheck _check;
    private readonly TrackedFile _file;
    private readonly Action<string, int> _report;
    private readonly TrackedFileWatcher _watcher;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private IDisposable? _subscription;
    private int? _value;

    public VrrpFileTracker(TrackedCheck check, Action<string, int> report, TrackedFileWatcher watcher, ILogger logger)
    {
        _check = check ?? throw new ArgumentNullException(nameof(check));
        _file = check.File ?? throw new ArgumentException($"Check '{check.Name}' reads no file.", nameof(check));
        _report = report;
        _watcher = watcher;
        _logger = logger;
    }

    public string Name => _check.Name;

    /// <summary>Watches the file, then reads it (so no write between the two is missed).</summary>
    public void Start()
    {
        try
        {
            _subscription = _watcher.Watch(_file.Path, Read);
        }
        catch (IOException e)
        {
            _logger.LogWarning("VRRP tracked file {Check}: cannot watch {Path}: {Error}; read once, as 0 if missing", _check.Name, _file.Path, e.Message);
        }

        Read();
    }

    public void Dispose() => _subscription?.Dispose();

    private void Read()
    {
        lock (_lock)
        {
            var value = TrackedFileValue.Read(_file.Path);
            if (value is null)
            {
                _logger.LogWarning("VRRP tracked file {Check}: {Path} holds a number out of range; ignored", _check.Name, _file.Path);
                return;
            }

            if (value == _value)
            {
                return;
            }

            _value = value;
            _logger.LogInformation("VRRP tracked file {Check}: {Path} reads {Value}", _check.Name, _file.Path, value);
            _report(_check.Name, value.Value);
        }
    }
}
