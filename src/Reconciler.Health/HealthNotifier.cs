using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Reconciler.Scripts;
using Reconciler.Scripts.Mail;
using Reconciler.Topology.Model;
using TopologyModel = Reconciler.Topology.Model.Topology;

namespace Reconciler.Health;

/// <summary>
/// keepalived's checker notifications: a real server's <c>notify_up</c> / <c>notify_down</c> when the health checker
/// brings it up or takes it down, a service's <c>quorum_up</c> / <c>quorum_down</c> when its quorum is regained or
/// lost, and, for a service with <see cref="ServiceNotify.AtShutdown"/> (<c>omega</c>), those <c>down</c> commands for
/// what is up when the agent stops. Commands run one at a time, in the order of the changes, off the monitor's lock,
/// through the agent's <see cref="IScriptRunner"/> (script user, minimal environment, timeout), each with
/// <c>RECONCILER_EVENT</c> (<c>up</c>, <c>down</c>, <c>quorum-up</c>, <c>quorum-down</c>), <c>RECONCILER_SERVICE</c>
/// and, for a real server, <c>RECONCILER_REAL_SERVER_ADDRESS</c> and <c>RECONCILER_REAL_SERVER_PORT</c>. A failing command
/// is logged and counted; it never stops the others.
/// </summary>
public sealed class HealthNotifier : IAsyncDisposable
{
    private readonly IScriptRunner _scripts;
    private readonly ILogger _logger;
    private readonly TimeSpan _timeout;
    private readonly Channel<ScriptRequest> _queue = Channel.CreateUnbounded<ScriptRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _worker;
    private readonly HashSet<string> _quorumDown = new(StringComparer.Ordinal);
    private TopologyModel _topology = TopologyModel.Empty;
    private long _failures;
    private long _run;

    private readonly MailAlerter? _mail;

    /// <param name="mail">The agent's mail queue: real servers' and quorum changes are mailed while its settings (the
    /// topology's <c>mail</c> block) and the service's <see cref="ServiceNotify.Mail"/> say so; null: never.</param>
    public HealthNotifier(IScriptRunner scripts, ILogger logger, TimeSpan? timeout = null, MailAlerter? mail = null)
    {
        _mail = mail;
        _scripts = scripts ?? throw new ArgumentNullException(nameof(scripts));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _timeout = timeout ?? TimeSpan.FromSeconds(30);
        _worker = Task.Run(RunAsync);
    }

    /// <summary>Commands that failed (exit code not 0, timeout, refused, start failure).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Commands run, failed or not.</summary>
    public long Run => Interlocked.Read(ref _run);

    /// <summary>The topology whose commands apply from now on (the one the health monitor follows).</summary>
    public void Update(TopologyModel topology) => Volatile.Write(ref _topology, topology ?? throw new ArgumentNullException(nameof(topology)));

    /// <summary>Queues the command <paramref name="change"/> calls for, if any; never blocks.</summary>
    public void OnChange(HealthChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var service = Volatile.Read(ref _topology).Services.FirstOrDefault(s => s.Name == change.Service);
        if (service is null)
        {
            return;
        }

        Mail(change, service);
        switch (change.Kind)
        {
            case HealthChangeKind.QuorumLost:
                lock (_quorumDown)
                {
                    _quorumDown.Add(service.Name);
                }

                Enqueue(service.Notify?.QuorumDown, "quorum-down", service, null);
                break;
            case HealthChangeKind.QuorumRegained:
                lock (_quorumDown)
                {
                    _quorumDown.Remove(service.Name);
                }

                Enqueue(service.Notify?.QuorumUp, "quorum-up", service, null);
                break;
            case HealthChangeKind.ServerUp or HealthChangeKind.ServerDown when change.Address is not null && change.Port is { } port:
                var server = service.RealServers.FirstOrDefault(r => r.Port == port && r.Address.Equals(change.Address));
                var notify = server?.Notify;
                Enqueue(change.Kind == HealthChangeKind.ServerUp ? notify?.Up : notify?.Down, change.Kind == HealthChangeKind.ServerUp ? "up" : "down", service, server);
                break;
        }
    }

    /// <summary>keepalived's <c>smtp_alert</c> for checkers: a mail when a real server goes up or down and when the
    /// service's quorum is lost or regained, with keepalived's subjects.</summary>
    private void Mail(HealthChange change, VirtualService service)
    {
        if (_mail?.Settings is not { } settings || !(service.Notify?.Mail ?? settings.Checkers))
        {
            return;
        }

        var protocol = service.Protocol.ToString();
        var virtualServer = service.FirewallMark is { } mark
            ? string.Create(CultureInfo.InvariantCulture, $"FWM {mark}")
            : KeepalivedMail.Endpoint(service.Address!.ToString(), protocol, service.Port ?? 0);
        var alert = change.Kind switch
        {
            HealthChangeKind.ServerUp or HealthChangeKind.ServerDown when change.Address is not null =>
                KeepalivedMail.RealServer(settings.RouterId, KeepalivedMail.Endpoint(change.Address.ToString(), protocol, change.Port ?? 0),
                    virtualServer, change.Kind == HealthChangeKind.ServerUp, change.Reason),
            HealthChangeKind.QuorumLost or HealthChangeKind.QuorumRegained =>
                KeepalivedMail.Quorum(settings.RouterId, virtualServer, change.Kind == HealthChangeKind.QuorumRegained, change.Reason),
            _ => null,
        };
        if (alert is not null)
        {
            _mail.Enqueue(alert);
        }
    }

    /// <summary>
    /// keepalived's <c>omega</c> at shutdown: for every service that asks for it, the <c>down</c> command of each of its
    /// real servers that is up in <paramref name="health"/>, then <c>quorum_down</c> if its quorum is up; then waits for
    /// every queued command, at most <paramref name="within"/>.
    /// </summary>
    public async Task NotifyShutdownAsync(HealthSnapshot? health, TimeSpan within)
    {
        foreach (var service in Volatile.Read(ref _topology).Services.Where(s => s.Notify is { AtShutdown: true }))
        {
            var status = health?.Services.GetValueOrDefault(service.Name);
            foreach (var server in service.RealServers.Where(r => r.Notify?.Down is not null))
            {
                if (status?.Find(server.Address, server.Port) is not { State: RealServerState.Down })
                {
                    Enqueue(server.Notify!.Down, "down", service, server);
                }
            }

            bool quorumUp;
            lock (_quorumDown)
            {
                quorumUp = !_quorumDown.Contains(service.Name);
            }

            if (quorumUp)
            {
                Enqueue(service.Notify!.QuorumDown, "quorum-down", service, null);
            }
        }

        _queue.Writer.TryComplete();
        try
        {
            await _worker.WaitAsync(within).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("health notify commands still running after {Seconds} s at shutdown", within.TotalSeconds);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        try
        {
            await _worker.WaitAsync(_timeout + TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("health notify commands still running at shutdown");
        }
    }

    private void Enqueue(string? command, string what, VirtualService service, RealServer? server)
    {
        if (command is null)
        {
            return;
        }

        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["RECONCILER_EVENT"] = what,
            ["RECONCILER_SERVICE"] = service.Name,
        };
        if (server is not null)
        {
            environment["RECONCILER_REAL_SERVER_ADDRESS"] = server.Address.ToString();
            environment["RECONCILER_REAL_SERVER_PORT"] = server.Port.ToString(CultureInfo.InvariantCulture);
        }

        _queue.Writer.TryWrite(new ScriptRequest(CommandLine.Split(command), _timeout) { Environment = environment });
    }

    private async Task RunAsync()
    {
        await foreach (var request in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (request.Command.Count == 0)
            {
                continue;
            }

            Interlocked.Increment(ref _run);
            try
            {
                var result = await _scripts.RunAsync(request, CancellationToken.None).ConfigureAwait(false);
                if (!result.Succeeded)
                {
                    Interlocked.Increment(ref _failures);
                    _logger.LogWarning("health notify {Event} of {Service}: {Command} failed: {Outcome} {Error}",
                        request.Environment["RECONCILER_EVENT"], request.Environment["RECONCILER_SERVICE"], request.Command[0], result.Outcome,
                        result.Error ?? (result.ExitCode is { } code ? "exit " + code.ToString(CultureInfo.InvariantCulture) : ""));
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Interlocked.Increment(ref _failures);
                _logger.LogWarning(e, "health notify of {Service} failed", request.Environment["RECONCILER_SERVICE"]);
            }
        }
    }
}
