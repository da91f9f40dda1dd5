using System.Net.Sockets;
using System.Text;
using Reconciler.Agent.Hosting;
using Reconciler.Agent.Tests.Fakes;

namespace Reconciler.Agent.Tests.Hosting;

/// <summary>
/// A failed loop fails the process, and systemd's watchdog hears from the agent only while its loops are alive: the
/// real host, with a real unix datagram socket standing in for systemd's <c>NOTIFY_SOCKET</c>.
/// </summary>
public sealed class AgentLoopFailureTests : IDisposable
{
    /// <summary>WATCHDOG_USEC: the agent pings every half of it.</summary>
    private const long WatchdogMicroseconds = 200_000;

    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task PollLoopThrows_HostStopsWithExitCodeOne()
    {
        var feed = new ControlledFeed { Next = _ => throw new InvalidOperationException("injected: a bug in the poll path") };

        await using var agent = await HostedAgent.StartAsync(feed);
        var exitCode = await agent.Run.WaitAsync(HostedAgent.Bound, TestContext.Current.CancellationToken);

        Assert.Equal(AgentHost.LoopFailedExitCode, exitCode);
    }

    [Fact]
    public async Task OrderlyStop_ExitCodeZero()
    {
        var agent = await HostedAgent.StartAsync(new ControlledFeed());

        await agent.DisposeAsync();

        Assert.Equal(0, await agent.Run);
    }

    [Fact]
    public async Task Watchdog_PingsWhileTheLoopsAreAlive_StopsWhileAPollIsStuck_ResumesAfter()
    {
        using var systemd = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        var socketPath = _folder.File("notify");
        systemd.Bind(new UnixDomainSocketEndPoint(socketPath));
        var feed = new ControlledFeed();
        var options = new AgentHostOptions
        {
            StuckAfter = TimeSpan.FromSeconds(1),
            Environment = name => name switch
            {
                "NOTIFY_SOCKET" => socketPath,
                "WATCHDOG_USEC" => WatchdogMicroseconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => null,
            },
        };
        await using var agent = await HostedAgent.StartAsync(feed, options: options);

        // Alive: pings arrive.
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal("WATCHDOG=1", await ReceiveAsync(systemd, HostedAgent.Bound));
        }

        // A poll hangs (its server never answers): once it has been busy past the bound, the pings stop.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        feed.BlockUntil(release.Task);
        await feed.Blocked.WaitAsync(HostedAgent.Bound, TestContext.Current.CancellationToken);
        await WaitForSilenceAsync(systemd, silence: TimeSpan.FromSeconds(2), bound: HostedAgent.Bound);

        // The poll returns: the loop is alive again, and so are the pings.
        feed.Next = null;
        release.SetResult();
        Assert.Equal("WATCHDOG=1", await ReceiveAsync(systemd, HostedAgent.Bound));
    }

    /// <summary>The next datagram's text, or null when none came within <paramref name="within"/>.</summary>
    private static async Task<string?> ReceiveAsync(Socket socket, TimeSpan within)
    {
        var buffer = new byte[256];
        using var timeout = new CancellationTokenSource(within);
        try
        {
            int length = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, length);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Drains pings until none comes for <paramref name="silence"/> (ten ping intervals); fails after
    /// <paramref name="bound"/>.</summary>
    private static async Task WaitForSilenceAsync(Socket socket, TimeSpan silence, TimeSpan bound)
    {
        var deadline = DateTime.UtcNow + bound;
        while (await ReceiveAsync(socket, silence) is not null)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the watchdog was still pinged {bound.TotalSeconds:0} s after a poll got stuck");
        }
    }
}
