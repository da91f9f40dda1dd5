using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Reconciler.Testing.Git;

/// <summary>
/// <c>git daemon</c> serving every repository under <see cref="BasePath"/> on 127.0.0.1 at a free port, started by
/// the constructor, stopped (with the upload-pack children it forked) by its PID, and restartable on the same port.
/// One fixture for every suite that needs a real git:// server; linked from tests/Shared/Git.
/// </summary>
internal sealed class GitDaemon : IDisposable
{
    private Process? _process;
    private int _uploadPackRequests;

    public GitDaemon(string basePath)
    {
        BasePath = basePath;
        Port = FreePort();
        Start();
    }

    public string BasePath { get; }

    public int Port { get; }

    public int? Pid => _process?.Id;

    public string UrlOf(string repository) => $"git://127.0.0.1:{Port}/{repository}";

    /// <summary>How many connections asked to fetch or list refs (<c>git upload-pack</c>) since the first start. Read
    /// it after <see cref="Stop"/>: only then has every line the daemon logged been read.</summary>
    public int UploadPackRequests => Volatile.Read(ref _uploadPackRequests);

    /// <summary>Starts the daemon (again, after <see cref="Stop"/>) and waits until it accepts connections.</summary>
    public void Start()
    {
        var start = new ProcessStartInfo("git") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "daemon", "--export-all", $"--base-path={BasePath}", $"--port={Port}", "--listen=127.0.0.1", "--reuseaddr", "--verbose", BasePath })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        _process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data?.Contains("Request upload-pack for", StringComparison.Ordinal) == true)
            {
                Interlocked.Increment(ref _uploadPackRequests);
            }
        };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20); // generous: the suites also run in a loaded, emulated guest
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        throw new InvalidOperationException($"git daemon did not listen on 127.0.0.1:{Port}");
    }

    /// <summary>Kills the daemon (and the upload-pack children it forked) by PID, and reads what it logged to the end.</summary>
    public void Stop()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        _process = null;
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public void Dispose() => Stop();
}
