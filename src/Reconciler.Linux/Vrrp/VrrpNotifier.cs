using System.Net.Http.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Reconciler.Scripts;
using Reconciler.Scripts.Mail;
using Reconciler.Topology.Model;
using Reconciler.Vrrp;

namespace Reconciler.Linux.Vrrp;

/// <summary>
/// Runs an instance's (or a sync group's) notify hooks off the router's lock, one transition at a time and in order:
/// the per-state command (<c>notify_master</c>, ... : its own arguments only), the generic one (<c>notify</c>: plus
/// <c>INSTANCE NAME STATE PRIORITY</c>, or <c>GROUP NAME STATE 0</c>), then the webhook (POST JSON). Each command runs through the agent's
/// <see cref="IScriptRunner"/> (script user, minimal environment, path check, output cap), bounded by a timeout that
/// kills its process group; a failing or refused hook is logged and never stops the queue.
/// </summary>
public sealed class VrrpNotifier : IAsyncDisposable, IVrrpSyncGroupHost
{
    private readonly VrrpNotify? _notify;
    private readonly HttpClient? _http;
    private readonly ILogger _logger;
    private readonly IScriptRunner _scripts;
    private readonly TimeSpan _timeout;
    private readonly Channel<Notification> _queue =
        Channel.CreateUnbounded<Notification>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TimeProvider _time;
    private readonly Task _worker;
    private readonly MailAlerter? _mail;
    private string? _lastMailedState;
    private long _failures;

    /// <param name="mail">The agent's mail queue: transitions are mailed while its settings (the topology's <c>mail</c>
    /// block) and <see cref="VrrpNotify.Mail"/> say so; null: never.</param>
    public VrrpNotifier(VrrpNotify? notify, string nodeName, IScriptRunner scripts, ILogger logger, HttpClient? http = null, TimeSpan? timeout = null, TimeProvider? time = null,
        MailAlerter? mail = null)
    {
        _notify = notify;
        _mail = mail;
        _time = time ?? TimeProvider.System;
        NodeName = nodeName;
        _scripts = scripts ?? throw new ArgumentNullException(nameof(scripts));
        _logger = logger;
        _timeout = timeout ?? TimeSpan.FromSeconds(30);
        _http = notify?.Webhook is null ? null : http ?? new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        _worker = Task.Run(RunAsync);
    }

    public string NodeName { get; }

    /// <summary>Called after each transition has been handled (hooks run); the agent may trigger a reconcile here.</summary>
    public event Action<VrrpTransition>? Handled;

    /// <summary>Hooks that failed (exit code not 0, timeout, start failure, webhook error).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Queues an instance's transition; never blocks.</summary>
    public void Enqueue(VrrpTransition transition, DateTimeOffset at) => _queue.Writer.TryWrite(new Notification(
        "INSTANCE", transition.InstanceName, transition.From, transition.To, transition.Reason.ToString(), transition.EffectivePriority,
        transition.NotifyArguments, transition, at));

    /// <summary>Queues a sync group's transition; never blocks.</summary>
    public void Enqueue(VrrpSyncGroupTransition transition, DateTimeOffset at) => _queue.Writer.TryWrite(new Notification(
        "GROUP", transition.GroupName, transition.From, transition.To, nameof(VrrpTransitionReason.SyncGroup), 0,
        transition.NotifyArguments, null, at));

    void IVrrpSyncGroupHost.OnTransition(VrrpSyncGroupTransition transition) => Enqueue(transition, _time.GetUtcNow());

    void IVrrpSyncGroupHost.OnHostError(string operation, Exception exception)
    {
        Interlocked.Increment(ref _failures);
        _logger.LogWarning(exception, "VRRP sync group: {Operation} failed", operation);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _worker.WaitAsync(_timeout + TimeSpan.FromSeconds(5)).ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        await foreach (var notification in _queue.Reader.ReadAllAsync())
        {
            try
            {
                await RunHooksAsync(notification);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Interlocked.Increment(ref _failures);
                _logger.LogWarning(e, "VRRP {Instance}: notify failed", notification.Name);
            }

            if (notification.Instance is not { } transition)
            {
                continue;
            }

            try
            {
                Handled?.Invoke(transition);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _logger.LogWarning(e, "VRRP {Instance}: transition handler failed", transition.InstanceName);
            }
        }
    }

    /// <summary>keepalived's <c>smtp_alert</c>: one mail per state entered (MASTER, BACKUP, FAULT, STOP), never twice in
    /// a row for the same state, queued (the relay is never waited for here).</summary>
    private void Mail(Notification transition)
    {
        if (_mail?.Settings is not { } settings || !(_notify?.Mail ?? settings.Vrrp)
            || VrrpNotifyArguments.StateName(transition.To) is not { } state || state == _lastMailedState)
        {
            return;
        }

        var alert = transition.Type == "GROUP"
            ? KeepalivedMail.Group(settings.RouterId, transition.Name, state)
            : KeepalivedMail.Instance(settings.RouterId, transition.Name, state);
        if (alert is not null)
        {
            _lastMailedState = state;
            _mail.Enqueue(alert);
        }
    }

    private async Task RunHooksAsync(Notification transition)
    {
        Mail(transition);
        if (_notify is null)
        {
            return;
        }

        string? specific = transition.To switch
        {
            VrrpState.Master => _notify.Master,
            VrrpState.Backup => _notify.Backup,
            VrrpState.Fault => _notify.Fault,
            VrrpState.Stopped => _notify.Stop,
            _ => null,
        };
        if (specific is not null)
        {
            await RunCommandAsync(transition, CommandLine.Split(specific));
        }

        if (_notify.Any is not null && transition.Arguments.Count > 0)
        {
            await RunCommandAsync(transition, [.. CommandLine.Split(_notify.Any), .. transition.Arguments]);
        }

        if (_notify.Webhook is not null && _http is not null)
        {
            var body = new VrrpWebhookPayload(
                Type: transition.Type,
                Instance: transition.Name,
                Node: NodeName,
                From: VrrpNotifyArguments.StateName(transition.From) ?? "INIT",
                State: VrrpNotifyArguments.StateName(transition.To) ?? "INIT",
                Reason: transition.Reason,
                Priority: transition.Priority,
                Time: transition.At);
            try
            {
                using var response = await _http.PostAsJsonAsync(_notify.Webhook, body, LinuxJsonContext.Default.VrrpWebhookPayload);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref _failures);
                    _logger.LogWarning("VRRP {Instance}: webhook {Url} answered {Status}", transition.Name, _notify.Webhook, (int)response.StatusCode);
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                Interlocked.Increment(ref _failures);
                _logger.LogWarning("VRRP {Instance}: webhook {Url} failed: {Error}", transition.Name, _notify.Webhook, e.Message);
            }
        }
    }

    private async Task RunCommandAsync(Notification transition, IReadOnlyList<string> command)
    {
        if (command.Count == 0)
        {
            return;
        }

        var result = await _scripts.RunAsync(new ScriptRequest(command, _timeout), CancellationToken.None).ConfigureAwait(false);
        if (result.Succeeded)
        {
            return;
        }

        Interlocked.Increment(ref _failures);
        switch (result.Outcome)
        {
            case ScriptOutcome.Exited:
                _logger.LogWarning("VRRP {Instance}: notify {Command} exited {Code}", transition.Name, command[0], result.ExitCode);
                break;
            case ScriptOutcome.Refused:
                _logger.LogWarning("VRRP {Instance}: notify not run: {Error}", transition.Name, result.Error);
                break;
            default:
                _logger.LogWarning("VRRP {Instance}: notify {Command}: {Error}", transition.Name, command[0], result.Error);
                break;
        }
    }

    /// <summary>One queued transition: an instance's (<paramref name="Instance"/> set) or a sync group's.</summary>
    private sealed record Notification(string Type, string Name, VrrpState From, VrrpState To, string Reason, int Priority,
        IReadOnlyList<string> Arguments, VrrpTransition? Instance, DateTimeOffset At);
}
