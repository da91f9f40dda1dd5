using System.Diagnostics;

namespace Reconciler.Bench.Ipvs;

/// <summary>A throwaway network namespace with a dummy link and default route (IPVS refuses real servers without a
/// route), and a way to time ipvsadm in it.</summary>
internal sealed class BenchNamespace : IDisposable
{
    public BenchNamespace()
    {
        if (!File.Exists("/proc/net/ip_vs"))
        {
            throw new InvalidOperationException("no /proc/net/ip_vs: run this in the lab guest (tests/lab/run.sh)");
        }

        Name = "bench" + Environment.ProcessId;
        Run("ip", null, "netns", "add", Name);
        Run("ip", null, "-n", Name, "link", "add", "d0", "type", "dummy");
        Run("ip", null, "-n", Name, "link", "set", "d0", "up");
        Run("ip", null, "-n", Name, "addr", "add", "10.0.0.1/16", "dev", "d0");
        Run("ip", null, "-n", Name, "route", "add", "default", "dev", "d0");
    }

    public string Name { get; }

    public string Path => "/run/netns/" + Name;

    /// <summary>Runs ipvsadm in the namespace; returns its output and the wall time from start to exit.</summary>
    public (string Output, double Seconds) TimeIpvsadm(string? input, params string[] arguments) =>
        Run("ip", input, ["netns", "exec", Name, "ipvsadm", .. arguments]);

    public void Dispose() => Run("ip", null, "netns", "del", Name);

    private static (string Output, double Seconds) Run(string file, string? input, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        if (input is not null)
        {
            process.StandardInput.Write(input);
        }

        process.StandardInput.Close();
        process.WaitForExit();
        string text = output.GetAwaiter().GetResult();
        double seconds = clock.Elapsed.TotalSeconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed with exit {process.ExitCode}");
        }

        return (text, seconds);
    }
}
