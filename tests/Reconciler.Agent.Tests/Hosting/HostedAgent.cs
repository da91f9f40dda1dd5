using System.Net;
using System.Net.Sockets;
using Reconciler.Agent.Engine;
using Reconciler.Agent.Hosting;
using Reconciler.Agent.Settings;
using Reconciler.Agent.Tests.Fakes;
using Reconciler.GitSource.Source;
using Reconciler.Planning.Tests.Fakes;

namespace Reconciler.Agent.Tests.Hosting;

/// <summary>
/// The real agent host (<see cref="AgentHost.RunAsync"/>: Kestrel on a free loopback port, the hosted loops, the
/// watchdog) over fakes: a feed the test controls, a map-backed kernel, a fake VRRP runtime, a sysctl dictionary.
/// </summary>
internal sealed class HostedAgent : IAsyncDisposable
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _state = new();
    private readonly CancellationTokenSource _stop = new();

    private HostedAgent(AgentSettings settings, ITopologyFeed feed, AgentHostOptions? options)
    {
        Settings = settings with { StateDirectory = _state.Path };
        Http = new HttpClient { BaseAddress = new Uri($"http://{settings.Endpoint}/"), Timeout = Bound };
        Run = Task.Run(() => AgentHost.RunAsync(
            Settings,
            (_, _) => new AgentEdges(feed, new FakeIpvsClient(), new FakeNodeAddresses(), new FakeVrrpRuntimeFactory(), new FakeSysctl()),
            _stop.Token,
            options));
    }

    public AgentSettings Settings { get; }

    public HttpClient Http { get; }

    /// <summary>The host's run: its result is the process's exit code.</summary>
    public Task<int> Run { get; }

    /// <summary>Settings for node lb1 on a free loopback port, polling every 100 ms.</summary>
    public static AgentSettings DefaultSettings() => new()
    {
        Node = "lb1",
        Repository = new RepositorySettings { Url = "https://git.example.com/lb/topology.git" },
        Endpoint = new IPEndPoint(IPAddress.Loopback, FreePort()),
        PollInterval = TimeSpan.FromMilliseconds(100),
    };

    /// <summary>Starts the host and waits until its endpoint answers (or the host ends).</summary>
    public static async Task<HostedAgent> StartAsync(ITopologyFeed feed, AgentSettings? settings = null, AgentHostOptions? options = null)
    {
        var agent = new HostedAgent(settings ?? DefaultSettings(), feed, options);
        using var bound = new CancellationTokenSource(Bound);
        while (!agent.Run.IsCompleted)
        {
            try
            {
                using var response = await agent.Http.GetAsync(new Uri("healthz", UriKind.Relative), bound.Token);
                return agent;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(20, bound.Token);
            }
        }

        return agent;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Run.WaitAsync(Bound);
        }
        catch (Exception e) when (e is not TimeoutException)
        {
            // The test asserted on the run already.
        }

        Http.Dispose();
        _stop.Dispose();
        _state.Dispose();
    }
}

/// <summary>A feed whose every poll the test decides: unchanged by default; <see cref="Next"/> replaces the behaviour
/// of the polls from now on.</summary>
internal sealed class ControlledFeed : ITopologyFeed
{
    private readonly TaskCompletionSource _blocked = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SourceStatus Status { get; } = new(SourceCondition.Reconciling, null, null, null, null, null);

    /// <summary>What <see cref="RestoreAsync"/> gives: the last good revision kept from before a restart.</summary>
    public GoodRevision? Kept { get; set; }

    public Task<GoodRevision?> RestoreAsync(CancellationToken cancellationToken) => Task.FromResult(Kept);

    /// <summary>What a poll does; null: answers unchanged.</summary>
    public Func<CancellationToken, Task<PollResult>>? Next { get; set; }

    /// <summary>Completes when a poll started by <see cref="BlockUntil"/> is blocked.</summary>
    public Task Blocked => _blocked.Task;

    public Task<PollResult> PollAsync(CancellationToken cancellationToken) =>
        Next?.Invoke(cancellationToken) ?? Task.FromResult<PollResult>(new PollResult.Unchanged(Status));

    /// <summary>From now on a poll hangs until <paramref name="release"/> completes (a stuck git server and client).</summary>
    public void BlockUntil(Task release) => Next = async _ =>
    {
        _blocked.TrySetResult();
        await release;
        return new PollResult.Unchanged(Status);
    };

    public void Dispose()
    {
    }
}
