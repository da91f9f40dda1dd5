using System.Globalization;

namespace Reconciler.Bench.Lab;

/// <summary>What one whole command did: its exit status, its output, its wall time from the start of its process (and
/// of its wrappers) to their exit, and its peak resident size in bytes (null without <c>/usr/bin/time</c>).</summary>
internal sealed record CommandRun(int Exit, string Output, string Error, double Seconds, long? PeakBytes);

/// <summary>
/// One command timed as a user pays it: a whole process, from its start to its exit, run by <see cref="Shell.TryRun"/>,
/// inside a network namespace (<c>ip netns exec NAME</c>, which execs) when one is given. Where <c>/usr/bin/time</c>
/// is installed the command runs under <c>/usr/bin/time -f %M -o FILE</c>, which reports the peak resident size of
/// the command (the kernel's <c>ru_maxrss</c> of its child) and exits with the command's status; every command timed
/// here goes through the same wrappers, so ours and its anchor pay the same (one fork and exec each) on top.
/// </summary>
internal static class WholeCommand
{
    private const string Time = "/usr/bin/time";

    /// <summary>Whether peak resident sizes are measured (<c>/usr/bin/time</c> is installed).</summary>
    public static bool MeasuresPeak { get; } = File.Exists(Time);

    /// <summary>Runs <paramref name="command"/> to its exit (in <paramref name="space"/> when not null), with
    /// <paramref name="input"/> on its standard input.</summary>
    public static CommandRun Run(string? space, string? input, params string[] command)
    {
        var peakFile = MeasuresPeak ? Path.GetTempFileName() : null;
        try
        {
            string[] timed = peakFile is null ? command : [Time, "-f", "%M", "-o", peakFile, .. command];
            var (exit, output, error, seconds) = space is null
                ? Shell.TryRun(timed[0], input, timed[1..])
                : Shell.TryRun("ip", input, ["netns", "exec", space, .. timed]);
            return new CommandRun(exit, output, error, seconds, peakFile is null ? null : PeakBytes(peakFile));
        }
        finally
        {
            if (peakFile is not null)
            {
                File.Delete(peakFile);
            }
        }
    }

    /// <summary>Runs <paramref name="command"/> like <see cref="Run"/>; throws unless it exits with <paramref name="expectedExit"/>.</summary>
    public static CommandRun Expect(int expectedExit, string? space, string? input, params string[] command)
    {
        var run = Run(space, input, command);
        if (run.Exit != expectedExit)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"{string.Join(' ', command)} exited with {run.Exit}, expected {expectedExit}: {LastLines(run.Error.Trim(), 10)}\n{LastLines(run.Output, 10)}"));
        }

        return run;
    }

    /// <summary>The last line of time's file: the peak in kilobytes (a line "Command exited with non-zero status N"
    /// comes before it when the command failed).</summary>
    private static long? PeakBytes(string file) =>
        File.ReadAllLines(file).LastOrDefault(l => l.Length > 0) is { } line && long.TryParse(line, CultureInfo.InvariantCulture, out var kilobytes)
            ? kilobytes * 1024
            : null;

    private static string LastLines(string text, int lines) => string.Join('\n', text.Split('\n').TakeLast(lines));
}
