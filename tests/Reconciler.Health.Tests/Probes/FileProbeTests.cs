using Reconciler.Health.Probes;

namespace Reconciler.Health.Tests.Probes;

/// <summary>A real temporary file, read as keepalived's FILE_CHECK reads it.</summary>
public sealed class FileProbeTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("file-probe-");

    private string File => Path.Combine(_directory.FullName, "weight");

    public void Dispose() => _directory.Delete(recursive: true);

    private FileProbe Probe(int weight, bool reverse = false, int serverWeight = 10, Func<string, Action, IDisposable>? watch = null) =>
        new(new FileTarget(File, weight, reverse, serverWeight), watch);

    private static ProbeResult Run(FileProbe probe) => probe.ProbeAsync(TestContext.Current.CancellationToken).AsTask().GetAwaiter().GetResult();

    [Theory]
    [InlineData("5\n", 2, false, 20)]
    [InlineData("3", 2, true, 4)]
    [InlineData("  0x10", 1, false, 26)]
    [InlineData("010", 1, false, 18)]
    [InlineData("-100", 1, false, 0)]
    [InlineData("70000", 1, false, 65535)]
    [InlineData("garbage", 3, false, 10)]
    [InlineData("", 3, false, 10)]
    public void Probe_FileHoldsText_PassesWithServerWeightPlusValueTimesWeight(string content, int weight, bool reverse, int expected)
    {
        System.IO.File.WriteAllText(File, content);

        var result = Run(Probe(weight, reverse));

        Assert.True(result.Healthy);
        Assert.Equal(expected, result.DynamicWeight);
    }

    [Fact]
    public void Probe_MissingFile_ReadsZero_ConfiguredWeight()
    {
        var result = Run(Probe(5));

        Assert.Equal(ProbeResult.Pass($"file {File} reads 0", 10), result);
    }

    [Fact]
    public void Probe_ResultAtTheFaultBound_FailsTheServer()
    {
        System.IO.File.WriteAllText(File, "-2147483647");

        var result = Run(Probe(1));

        Assert.Equal(ProbeResult.Fail($"file {File} reads -2147483647: fault"), result);
    }

    [Theory]
    [InlineData("0", false, true)]
    [InlineData("1", false, false)]
    [InlineData("0", true, false)]
    [InlineData("7", true, true)]
    public void Probe_WeightZeroFile_NonZeroValueTakesTheServerDown_ReverseTheOpposite(string content, bool reverse, bool healthy)
    {
        System.IO.File.WriteAllText(File, content);

        var result = Run(Probe(0, reverse));

        Assert.Equal(healthy, result.Healthy);
        Assert.Null(result.DynamicWeight);
    }

    [Fact]
    public void Probe_NumberBeyondAnInt_Ignored_PreviousResultStands()
    {
        var probe = Probe(2);
        System.IO.File.WriteAllText(File, "4");
        var before = Run(probe);

        System.IO.File.WriteAllText(File, "99999999999");
        var after = Run(probe);

        Assert.Equal(18, before.DynamicWeight);
        Assert.Equal(before, after);
    }

    [Fact]
    public void Watch_FileWritten_WakesTheRunner_DisposeEndsTheWatch()
    {
        string? watched = null;
        Action? written = null;
        var subscription = new Subscription();
        var wakes = 0;
        var probe = Probe(1, watch: (path, changed) =>
        {
            watched = path;
            written = changed;
            return subscription;
        });
        probe.Wake = () => wakes++;

        written!();
        probe.Dispose();

        Assert.Equal(File, watched);
        Assert.Equal(1, wakes);
        Assert.True(subscription.Disposed);
    }

    [Fact]
    public void Watch_DirectoryCannotBeWatched_ProbeStillReads()
    {
        var probe = Probe(1, watch: (_, _) => throw new DirectoryNotFoundException("no such directory"));

        Assert.True(Run(probe).Healthy);
        probe.Dispose();
    }

    private sealed class Subscription : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }
}
