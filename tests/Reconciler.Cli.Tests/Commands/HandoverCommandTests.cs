using Reconciler.Cli.Tests.Fixtures;

namespace Reconciler.Cli.Tests.Commands;

/// <summary><c>reconciler handover</c> against a stand-in agent endpoint on loopback (the agent's own side is in
/// Reconciler.Agent.Tests, the whole command against real agents in the stateful-failover lab scenario).</summary>
[Collection(ConsoleCollection.Name)]
public sealed class HandoverCommandTests : IDisposable
{
    private const string Master = """{"vrrp":[{"instance":"VI_1","state":"MASTER","master":"10.0.0.1","syncsConnections":true}],"services":[]}""";
    private const string Backup = """{"vrrp":[{"instance":"VI_1","state":"BACKUP","master":"10.0.0.2","syncsConnections":SYNC}],"services":[]}""";

    private readonly StandInEndpoint _agent = new();
    private int _statusReads;

    public HandoverCommandTests() =>
        _agent.Answer = request => (200, request.Url!.AbsolutePath switch
        {
            "/handover" => """{"changed":["VI_1"],"standby":["VI_1"]}""",
            "/resume" => """{"changed":["VI_1"],"standby":[]}""",
            _ => Status(Interlocked.Increment(ref _statusReads)),
        });

    /// <summary>What /status answers on its Nth read (from 1).</summary>
    private Func<int, string> Status { get; set; } = _ => Master;

    public void Dispose() => _agent.Dispose();

    [Fact]
    public void Handover_PeerBecomesMaster_SaysWhoAndThatTheConnectionsGoOn()
    {
        Status = read => read < 3 ? Master : Backup.Replace("SYNC", "true", StringComparison.Ordinal);

        var result = CliRun.Invoke("handover", "--endpoint", _agent.Address, "--instance", "VI_1");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("VRRP VI_1: on standby (priority 1); a MASTER lets go now\nVRRP VI_1: 10.0.0.2 is MASTER after ", result.Output, StringComparison.Ordinal);
        Assert.Contains("; this node holds none of its addresses and forwards nothing for it; its established connections go on there (connectionSync)\nHandover done in ", result.Output, StringComparison.Ordinal);
        Assert.Equal("POST /handover?instance=VI_1", _agent.Requests[0]);
        Assert.True(_statusReads >= 3);
    }

    [Fact]
    public void Handover_InstanceWithoutConnectionSync_WarnsThatConnectionsAreReset()
    {
        Status = _ => Backup.Replace("SYNC", "false", StringComparison.Ordinal);

        var result = CliRun.Invoke("handover", "--endpoint", _agent.Address);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("warning: it has no connectionSync, so the connections this node forwarded are reset when they reach the peer", result.Output, StringComparison.Ordinal);
        Assert.Equal("POST /handover", _agent.Requests[0]);
    }

    [Fact]
    public void Handover_NoPeerTakesOver_FailsAtTheTimeoutSayingSo()
    {
        var result = CliRun.Invoke("handover", "--endpoint", _agent.Address, "--timeout", "1s");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("handover not done after 1.00 s: no peer became MASTER of VI_1 (this node is MASTER again: no other node advertises); the instances stay on standby ('reconciler handover --resume' to undo)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Resume_SaysWhatLeftStandby_WithoutWaiting()
    {
        var result = CliRun.Invoke("handover", "--endpoint", _agent.Address, "--resume");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("VRRP VI_1: off standby, back to the configured priority\n", result.Output);
        Assert.Equal(["POST /resume"], _agent.Requests);
    }

    [Fact]
    public void Handover_TimeoutNotADuration_Refused()
    {
        var result = CliRun.Invoke("handover", "--endpoint", _agent.Address, "--timeout", "soon");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--timeout: 'soon' is not a duration (examples: 30s, 2m)", result.Error, StringComparison.Ordinal);
        Assert.Empty(_agent.Requests);
    }
}
