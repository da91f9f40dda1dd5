using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;

namespace Reconciler.Health.Tests.Support;

/// <summary>A minimal SMTP responder on loopback for the failure paths a real server will not take on demand: it sends
/// <see cref="Greeting"/> (nothing when null: a server that never greets), then answers HELO with <see cref="HeloReply"/>
/// and QUIT with <see cref="QuitReply"/>, and records the lines it got.</summary>
internal sealed class ScriptedSmtpServer : LoopbackTcpServer
{
    public string? Greeting { get; set; } = "220 test ESMTP\r\n";

    public string HeloReply { get; set; } = "250 test\r\n";

    public string QuitReply { get; set; } = "221 bye\r\n";

    public ConcurrentQueue<string> Lines { get; } = new();

    protected override async Task ServeAsync(Socket socket, CancellationToken cancellationToken)
    {
        if (Greeting is null)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return;
        }

        await socket.SendAsync(Encoding.ASCII.GetBytes(Greeting), cancellationToken);
        var buffer = new byte[1024];
        var pending = new StringBuilder();
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer, cancellationToken);
            if (read == 0)
            {
                return;
            }

            pending.Append(Encoding.ASCII.GetString(buffer, 0, read));
            int end;
            while ((end = pending.ToString().IndexOf("\r\n", StringComparison.Ordinal)) >= 0)
            {
                var line = pending.ToString(0, end);
                pending.Remove(0, end + 2);
                Lines.Enqueue(line);
                var quit = line.Equals("QUIT", StringComparison.OrdinalIgnoreCase);
                await socket.SendAsync(Encoding.ASCII.GetBytes(quit ? QuitReply : HeloReply), cancellationToken);
                if (quit)
                {
                    return;
                }
            }
        }
    }
}
