using System.Net;
using System.Net.Sockets;
using System.Text;
using Reconciler.Cli.Tests.Fixtures;

namespace Reconciler.Cli.Tests.Commands;

/// <summary><c>reconciler handover</c> against a stand-in agent endpoint on loopback (the agent's own side is in
/// Reconciler.Agent.Tests, the whole command against real agents in the stateful-failover lab scenario).</summary>
[Collection(ConsoleCollection.Name)]
public sealed class HandoverCommandTests : IDisposable
{
    private const string Master = """{"vrrp":[{"instance":"VI_1","state":"MASTER","master":"10.0.0.1","syncsConnections":true}],"services":[]}""";
    private const string Backup = """{"vrrp":[{"instance":"VI_1","state":"BACKUP","master":"10.0.0.2","syncsConnections":SYNC}],"services":[]}""";

    private readonly HttpListener _listener = new();
    private readonly int _port;
    private readonly List<string> _requests = [];
    private int _statusReads;

    public HandoverCommandTests()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            _port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        _listener.Prefixes.Add($"http://127.0.0.1:{_port}/");
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    /// <summary>What /status answers on its Nth read (from 1).</summary>
    private Func<int, string> Status { get; set; } = _ => Master;

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

            var request = $"{context.Request.HttpMethod} {context.Request.Url!.PathAndQuery}";
            lock (_requests)
            {
                _requests.Add(request);
            }

            var body = context.Request.Url.AbsolutePath switch
            {
                "/handover" => """{"changed":["VI_1"],"standby":["VI_1"]}""",
                "/resume" => """{"changed":["VI_1"],"standby":[]}""",
                _ => Status(Interlocked.Increment(ref _statusReads)),
            };
            await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(body));
            context.Response.Close();
        }
    }

    [Fact]
    public void Handover_PeerBecomesMaster_SaysWhoAndThatTheConnectionsGoOn()
    {
        Status = read => read < 3 ? Master : Backup.Replace("SYNC", "true", StringComparison.Ordinal);

        var result = CliRun.Invoke("handover", "--endpoint", $"127.0.0.1:{_port}", "--instance", "VI_1");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("VRRP VI_1: on standby (priority 1); a MASTER lets go now\nVRRP VI_1: 10.0.0.2 is MASTER after ", result.Output, StringComparison.Ordinal);
        Assert.Contains("; this node holds none of its addresses and forwards nothing for it; its established connections go on there (connectionSync)\nHandover done in ", result.Output, StringComparison.Ordinal);
        Assert.Equal("POST /handover?instance=VI_1", _requests[0]);
        Assert.True(_statusReads >= 3);
    }

    [Fact]
    public void Handover_InstanceWithoutConnectionSync_WarnsThatConnectionsAreReset()
    {
        Status = _ => Backup.Replace("SYNC", "false", StringComparison.Ordinal);

        var result = CliRun.Invoke("handover", "--endpoint", $"127.0.0.1:{_port}");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("warning: it has no connectionSync, so the connections this node forwarded are reset when they reach the peer", result.Output, StringComparison.Ordinal);
        Assert.Equal("POST /handover", _requests[0]);
    }

    [Fact]
    public void Handover_NoPeerTakesOver_FailsAtTheTimeoutSayingSo()
    {
        var result = CliRun.Invoke("handover", "--endpoint", $"127.0.0.1:{_port}", "--timeout", "1s");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("handover not done after 1.00 s: no peer became MASTER of VI_1 (this node is MASTER again: no other node advertises); the instances stay on standby ('reconciler handover --resume' to undo)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Resume_SaysWhatLeftStandby_WithoutWaiting()
    {
        var result = CliRun.Invoke("handover", "--endpoint", $"127.0.0.1:{_port}", "--resume");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("VRRP VI_1: off standby, back to the configured priority\n", result.Output);
        Assert.Equal(["POST /resume"], _requests);
    }

    [Fact]
    public void Handover_TimeoutNotADuration_Refused()
    {
        var result = CliRun.Invoke("handover", "--endpoint", $"127.0.0.1:{_port}", "--timeout", "soon");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--timeout: 'soon' is not a duration (examples: 30s, 2m)", result.Error, StringComparison.Ordinal);
        Assert.Empty(_requests);
    }
}
