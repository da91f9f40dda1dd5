using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Linux.Vrrp;
using Reconciler.Topology.Model;
using Reconciler.Vrrp;

namespace Reconciler.Linux.Tests.Vrrp;

/// <summary>The notify webhook against a real HTTP listener on loopback: one POST per transition, in order, with the payload the agent documents.</summary>
public sealed class VrrpNotifierWebhookTests
{
    [Fact]
    public async Task Transitions_PostJsonPerTransition_InOrder_WithInstanceStatePriorityNode()
    {
        await using var listener = WebhookListener.Start(HttpStatusCode.NoContent);
        var notifier = new VrrpNotifier(new VrrpNotify(null, null, null, null, null, listener.Url), "lb1", Reconciler.Scripts.NoScriptRunner.Instance, NullLogger.Instance);
        var at = new DateTimeOffset(2025, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);
        notifier.Enqueue(new VrrpTransition("VI_1", VrrpState.Backup, VrrpState.Master, VrrpTransitionReason.MasterDown, 100), at);
        notifier.Enqueue(new VrrpTransition("VI_1", VrrpState.Master, VrrpState.Backup, VrrpTransitionReason.HigherPriorityAdvert, 70), at.AddSeconds(1));
        notifier.Enqueue(new VrrpTransition("VI_1", VrrpState.Backup, VrrpState.Stopped, VrrpTransitionReason.Shutdown, 70), at.AddSeconds(2));
        await notifier.DisposeAsync();

        var requests = listener.Requests.ToList();
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r =>
        {
            Assert.Equal("POST", r.Method);
            Assert.Equal("/vrrp/hook", r.Path);
            Assert.StartsWith("application/json", r.ContentType, StringComparison.Ordinal);
        });

        Assert.Equal("""{"type":"INSTANCE","instance":"VI_1","node":"lb1","from":"BACKUP","state":"MASTER","reason":"MasterDown","priority":100,"time":"2025-01-02T03:04:05.678+00:00"}""", requests[0].Body);
        using var first = JsonDocument.Parse(requests[0].Body);
        var json = first.RootElement;
        Assert.Equal("INSTANCE", json.GetProperty("type").GetString());
        Assert.Equal("VI_1", json.GetProperty("instance").GetString());
        Assert.Equal("lb1", json.GetProperty("node").GetString());
        Assert.Equal("BACKUP", json.GetProperty("from").GetString());
        Assert.Equal("MASTER", json.GetProperty("state").GetString());
        Assert.Equal("MasterDown", json.GetProperty("reason").GetString());
        Assert.Equal(100, json.GetProperty("priority").GetInt32());
        Assert.Equal(at, json.GetProperty("time").GetDateTimeOffset());

        var states = requests.Select(r => JsonDocument.Parse(r.Body).RootElement).Select(e => (e.GetProperty("state").GetString(), e.GetProperty("priority").GetInt32())).ToList();
        Assert.Equal([("MASTER", 100), ("BACKUP", 70), ("STOP", 70)], states);
        Assert.Equal(0, notifier.Failures);
    }

    [Fact]
    public async Task WebhookAnswersError_CountedAsFailure_QueueGoesOn()
    {
        await using var listener = WebhookListener.Start(HttpStatusCode.InternalServerError);
        var handled = new ConcurrentQueue<VrrpState>();
        var notifier = new VrrpNotifier(new VrrpNotify(null, null, null, null, null, listener.Url), "lb1", Reconciler.Scripts.NoScriptRunner.Instance, NullLogger.Instance);
        notifier.Handled += t => handled.Enqueue(t.To);
        notifier.Enqueue(new VrrpTransition("VI_1", VrrpState.Backup, VrrpState.Master, VrrpTransitionReason.MasterDown, 100), DateTimeOffset.UtcNow);
        notifier.Enqueue(new VrrpTransition("VI_1", VrrpState.Master, VrrpState.Fault, VrrpTransitionReason.Fault, 100), DateTimeOffset.UtcNow);
        await notifier.DisposeAsync();

        Assert.Equal(2, listener.Requests.Count);
        Assert.Equal(2, notifier.Failures);
        Assert.Equal([VrrpState.Master, VrrpState.Fault], handled);
    }

    [Fact]
    public async Task NobodyListening_CountedAsFailure_QueueGoesOn()
    {
        var port = FreePort();
        var notifier = new VrrpNotifier(new VrrpNotify(null, null, null, null, null, new Uri($"http://127.0.0.1:{port}/hook")), "lb1", Reconciler.Scripts.NoScriptRunner.Instance, NullLogger.Instance);
        notifier.Enqueue(new VrrpTransition("VI_1", VrrpState.Backup, VrrpState.Master, VrrpTransitionReason.MasterDown, 100), DateTimeOffset.UtcNow);
        await notifier.DisposeAsync();
        Assert.Equal(1, notifier.Failures);
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private sealed record ReceivedRequest(string Method, string Path, string? ContentType, string Body);

    /// <summary>An <see cref="HttpListener"/> on a free loopback port that records every request and answers <c>status</c>.</summary>
    private sealed class WebhookListener : IAsyncDisposable
    {
        private readonly HttpListener _listener;
        private readonly HttpStatusCode _status;
        private readonly Task _loop;

        private WebhookListener(HttpListener listener, HttpStatusCode status, Uri url)
        {
            _listener = listener;
            _status = status;
            Url = url;
            _loop = Task.Run(ServeAsync);
        }

        public Uri Url { get; }

        public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

        public static WebhookListener Start(HttpStatusCode status)
        {
            for (int attempt = 0; ; attempt++)
            {
                var port = FreePort();
                var listener = new HttpListener();
                listener.Prefixes.Add($"http://127.0.0.1:{port}/vrrp/");
                try
                {
                    listener.Start();
                    return new WebhookListener(listener, status, new Uri($"http://127.0.0.1:{port}/vrrp/hook"));
                }
                catch (HttpListenerException) when (attempt < 5)
                {
                    listener.Close(); // the port was taken meanwhile: another one
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            // Close alone: the managed HttpListener's Stop releases the port, and a Close after it binds the port again
            // to remove the prefix, which fails when another test took the port meanwhile.
            _listener.Close();
            try
            {
                await _loop;
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
            }
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                using var reader = new StreamReader(context.Request.InputStream, context.Request.ContentEncoding);
                var body = await reader.ReadToEndAsync();
                Requests.Enqueue(new ReceivedRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, context.Request.ContentType, body));
                context.Response.StatusCode = (int)_status;
                context.Response.Close();
            }
        }
    }
}
