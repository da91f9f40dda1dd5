using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Reconciler.Tests.Shared.Servers;

/// <summary>A real server program on 127.0.0.1 at a free port, started by <see cref="Start"/> once it answers, and
/// killed by its PID on dispose. tests/lab/prepare.sh installs the programs (dnsmasq-base, python3-aiosmtpd).</summary>
public sealed class ExternalServer : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ExternalServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    /// <summary>dnsmasq as an authoritative-only server: <c>example.test</c> is 192.0.2.7, anything else is REFUSED
    /// (no upstream).</summary>
    public static ExternalServer Dnsmasq()
    {
        var port = FreePort(SocketType.Dgram, ProtocolType.Udp);
        return Start("dnsmasq", ["--keep-in-foreground", "--no-daemon", "--port=" + port, "--listen-address=127.0.0.1", "--bind-interfaces",
            "--no-resolv", "--no-hosts", "--address=/example.test/192.0.2.7", "--conf-file=/dev/null", "--pid-file="], port, AnswersDns);
    }

    /// <summary>aiosmtpd (Debian's python3-aiosmtpd), a real RFC 5321 server.</summary>
    public static ExternalServer Aiosmtpd()
    {
        var port = FreePort(SocketType.Stream, ProtocolType.Tcp);
        return Start("/usr/bin/python3", ["-m", "aiosmtpd", "--nosetuid", "--listen", "127.0.0.1:" + port], port, Accepts);
    }

    /// <summary>aiosmtpd keeping every message it accepts in the Maildir <paramref name="maildir"/> (its Mailbox
    /// handler), so a test can read what was delivered.</summary>
    public static ExternalServer AiosmtpdMailbox(string maildir)
    {
        var port = FreePort(SocketType.Stream, ProtocolType.Tcp);
        return Start("/usr/bin/python3", ["-m", "aiosmtpd", "--nosetuid", "--listen", "127.0.0.1:" + port, "-c", "aiosmtpd.handlers.Mailbox", maildir], port, Accepts);
    }

    public void Dispose()
    {
        try
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        _process.Dispose();
    }

    private static ExternalServer Start(string program, string[] arguments, int port, Func<int, bool> answers)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var server = new ExternalServer(Process.Start(start)!, port);
        server._process.OutputDataReceived += (_, line) => server.Log(line.Data);
        server._process.ErrorDataReceived += (_, line) => server.Log(line.Data);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20); // generous: a loaded machine
        while (DateTime.UtcNow < deadline && !server._process.HasExited)
        {
            if (answers(port))
            {
                return server;
            }

            Thread.Sleep(50);
        }

        server.Dispose();
        throw new InvalidOperationException($"{program} did not answer on 127.0.0.1:{port}: {server.Output}");
    }

    private string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private void Log(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static bool Accepts(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static bool AnswersDns(int port)
    {
        // A query for the root SOA, header then question: any response means the server is up.
        byte[] query = [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 6, 0, 1];
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.ReceiveTimeout = 200;
        try
        {
            socket.Connect(IPAddress.Loopback, port);
            socket.Send(query);
            var buffer = new byte[512];
            return socket.Receive(buffer) >= 12 && buffer[0] == 0x12 && buffer[1] == 0x34;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort(SocketType type, ProtocolType protocol)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, type, protocol);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
