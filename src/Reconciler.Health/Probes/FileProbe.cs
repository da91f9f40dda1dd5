using Reconciler.Topology.Model;

namespace Reconciler.Health.Probes;

/// <summary>
/// keepalived's FILE_CHECK: reads the tracked file (<see cref="TrackedFileValue.Read"/>: missing or garbage is 0) and
/// passes with the weight it gives (<see cref="TrackedFileValue.ForRealServer"/>: configured weight plus value times
/// multiplier, within 0..65535; the configured weight for a weight-0 file), or fails on FAULT. A number out of range
/// is ignored: the previous result stands. Written files wake the check (<see cref="IWakingProbe"/>) through the
/// watch the factory was given, so a write takes effect at once rather than at the next interval.
/// </summary>
internal sealed class FileProbe : IHealthProbe, ISelfTimedProbe, IWakingProbe, IDisposable
{
    private readonly FileTarget _file;
    private readonly IDisposable? _subscription;
    private ProbeResult? _last;
    private Action? _wake;

    public FileProbe(FileTarget file, Func<string, Action, IDisposable>? watch)
    {
        _file = file;
        try
        {
            _subscription = watch?.Invoke(file.Path, () => Volatile.Read(ref _wake)?.Invoke());
        }
        catch (IOException)
        {
            // The directory cannot be watched (it does not exist): the interval's reads still see the file appear.
            _subscription = null;
        }
    }

    public TimeSpan Timeout => TimeSpan.FromSeconds(1);

    public Action? Wake
    {
        set => Volatile.Write(ref _wake, value);
    }

    public ValueTask<ProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        var value = TrackedFileValue.Read(_file.Path);
        if (value is null)
        {
            return ValueTask.FromResult(_last ?? ProbeResult.Pass($"file {_file.Path} holds a number out of range, ignored"));
        }

        var effect = TrackedFileValue.ForRealServer(value.Value, _file.Weight, _file.Reverse);
        var result = effect.Fault
            ? ProbeResult.Fail($"file {_file.Path} reads {value}: fault")
            : _file.Weight == 0
                ? ProbeResult.Pass($"file {_file.Path} reads {value}")
                : ProbeResult.Pass($"file {_file.Path} reads {value}", TrackedFileValue.RealServerWeight(_file.ServerWeight, effect.Offset));
        _last = result;
        return ValueTask.FromResult(result);
    }

    public void Dispose() => _subscription?.Dispose();
}

/// <summary>A probe that knows when it is worth running again before its interval is up (a tracked file written).</summary>
internal interface IWakingProbe
{
    /// <summary>Called (on any thread) when the probe should run now.</summary>
    Action? Wake { set; }
}
