using System.Diagnostics;

namespace Reconciler.KernelTests.Infrastructure;

/// <summary>Facts about the machine the kernel tests run on, and a way to run its tools.</summary>
public static class Lab
{
    /// <summary>Fails (never skips) when this is not a kernel with IPVS: kernel tests only mean something in the lab.</summary>
    public static void RequireIpvsKernel()
    {
        if (!File.Exists("/proc/net/ip_vs"))
        {
            throw new InvalidOperationException(
                "kernel tests must run in the lab guest (no /proc/net/ip_vs here): bash tests/lab/run.sh -- tests/Reconciler.KernelTests/bin/Debug/net10.0/Reconciler.KernelTests");
        }
    }

    public static ProcessResult Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return new ProcessResult(process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }

    /// <summary>Runs a command with <paramref name="input"/> on its standard input.</summary>
    public static ProcessResult RunWithInput(string input, string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(input);
        process.StandardInput.Close();
        process.WaitForExit();
        return new ProcessResult(process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }

    public static string Check(this ProcessResult result, string what) => result.ExitCode == 0
        ? result.Output
        : throw new InvalidOperationException($"{what} failed with exit {result.ExitCode}: {result.Error}{result.Output}");
}

public sealed record ProcessResult(int ExitCode, string Output, string Error);
