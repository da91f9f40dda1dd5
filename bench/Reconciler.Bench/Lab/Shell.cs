using System.Diagnostics;

namespace Reconciler.Bench.Lab;

/// <summary>Short commands run to completion: output captured, wall time measured, a non-zero exit an exception.</summary>
internal static class Shell
{
    /// <summary>Runs <paramref name="file"/>; returns its standard output and the wall time from start to exit.</summary>
    public static (string Output, double Seconds) Run(string file, string? input, params string[] arguments)
    {
        var (exit, output, error, seconds) = TryRun(file, input, arguments);
        if (exit != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed with exit {exit}: {error.Trim()}");
        }

        return (output, seconds);
    }

    /// <summary>Runs a command inside network namespace <paramref name="space"/> (<c>ip netns exec</c>).</summary>
    public static (string Output, double Seconds) RunIn(string space, params string[] arguments) =>
        Run("ip", null, ["netns", "exec", space, .. arguments]);

    public static (int Exit, string Output, string Error, double Seconds) TryRun(string file, string? input, params string[] arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            process.StandardInput.Write(input);
        }

        process.StandardInput.Close();
        process.WaitForExit();
        var seconds = clock.Elapsed.TotalSeconds;
        return (process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult(), seconds);
    }
}
