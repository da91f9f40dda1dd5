using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Reconciler.Scripts.Mail;

/// <summary>
/// The agent's one mail queue: VRRP and the health checker hand it alerts (never blocking, never waiting for a relay);
/// one worker sends them in order through <see cref="SmtpMailer"/>. A relay that is down or refuses costs a logged
/// warning and a count per alert, never the agent's loop. At most <see cref="Capacity"/> alerts wait: a flapping
/// server cannot pile up mail without bound (the rest are counted as dropped and logged).
/// </summary>
public sealed class MailAlerter : IAsyncDisposable
{
    public const int Capacity = 256;

    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Func<MailSettings, MailAlert, DateTimeOffset, CancellationToken, Task> _send;
    private readonly Channel<(MailSettings Settings, MailAlert Alert)> _queue =
        Channel.CreateBounded<(MailSettings, MailAlert)>(new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _worker;
    private MailSettings? _settings;
    private long _sent;
    private long _failed;
    private long _dropped;

    public MailAlerter(ILogger logger, TimeProvider? time = null, Func<MailSettings, MailAlert, DateTimeOffset, CancellationToken, Task>? send = null)
    {
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = time ?? TimeProvider.System;
        _send = send ?? SmtpMailer.SendAsync;
        _worker = Task.Run(RunAsync);
    }

    /// <summary>Where alerts go now; null: the topology has no mail block and nothing is sent.</summary>
    public MailSettings? Settings => Volatile.Read(ref _settings);

    /// <summary>Alerts the relay took.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Alerts that failed (no connection, a refusal, a timeout).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Alerts dropped because <see cref="Capacity"/> were already waiting.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Follows the topology's mail block (resolved for this node); alerts queued before keep the settings
    /// they were queued with.</summary>
    public void Update(MailSettings? settings) => Volatile.Write(ref _settings, settings);

    /// <summary>Queues <paramref name="alert"/> for the current settings; nothing when there are none.</summary>
    public void Enqueue(MailAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (Settings is not { } settings)
        {
            return;
        }

        // Wait mode: TryWrite returns false when full (DropWrite would say true and drop it unseen).
        if (!_queue.Writer.TryWrite((settings, alert)))
        {
            var dropped = Interlocked.Increment(ref _dropped);
            if (dropped == 1 || dropped % 100 == 0)
            {
                _logger.LogWarning("mail alert dropped ({Dropped} so far): {Capacity} are waiting for {Host}: {Subject}",
                    dropped, Capacity, settings.Host, alert.Subject);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        try
        {
            await _worker.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("mail alerts still being sent at shutdown: the rest are not sent");
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private async Task RunAsync()
    {
        await foreach (var (settings, alert) in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await _send(settings, alert, _time.GetLocalNow(), _stopping.Token).ConfigureAwait(false);
                Interlocked.Increment(ref _sent);
                _logger.LogInformation("mail alert sent to {Recipients}: {Subject}", string.Join(", ", settings.To), alert.Subject);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Interlocked.Increment(ref _failed);
                _logger.LogWarning("mail alert not sent: {Error}: {Subject}", e is MailException ? e.Message : e.ToString(), alert.Subject);
            }
        }
    }
}
