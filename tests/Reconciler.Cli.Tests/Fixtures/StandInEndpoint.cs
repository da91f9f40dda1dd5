using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Reconciler.Cli.Tests.Fixtures;

/// <summary>
/// A stand-in for an agent's endpoint on a free loopback port: every request is recorded (method with path and query,
/// and its Authorization header) and answered by <see cref="Answer"/>. For the commands that talk to an agent.
/// </summary>
internal sealed class StandInEndpoint : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<(string Request, string? Authorization)> _received = [];

    public StandInEndpoint()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>The endpoint as <c>--endpoint</c> takes it.</summary>
    public string Address => $"127.0.0.1:{Port}";

    /// <summary>Status code and body for a request; 200 with an empty body unless set.</summary>
    public Func<HttpListenerRequest, (int Status, string Body)> Answer { get; set; } = _ => (200, "");

    /// <summary>The requests so far, as <c>POST /handover?instance=VI_1</c>.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_received)
            {
                return [.. _received.Select(r => r.Request)];
            }
        }
    }

    /// <summary>The Authorization header of each request so far (null when it had none).</summary>
    public IReadOnlyList<string?> Authorizations
    {
        get
        {
            lock (_received)
            {
                return [.. _received.Select(r => r.Authorization)];
            }
        }
    }

    public void Dispose() => _listener.Close();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            lock (_received)
            {
                _received.Add(($"{context.Request.HttpMethod} {context.Request.Url!.PathAndQuery}", context.Request.Headers["Authorization"]));
            }

            var (status, body) = Answer(context.Request);
            context.Response.StatusCode = status;
            await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(body));
            context.Response.Close();
        }
    }
}
