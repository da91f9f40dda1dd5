using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Reconciler.Agent.Hosting;

/// <summary>
/// systemd's watchdog (<c>WatchdogSec=</c> in the unit): sends <c>WATCHDOG=1</c> to <c>$NOTIFY_SOCKET</c> (sd_notify(3):
/// one unix datagram) every half of <c>$WATCHDOG_USEC</c>, but only while the agent is alive: every loop waiting or
/// within its bound of work, every VRRP receive thread coming round. A stuck or dead loop stops the pings, and systemd
/// kills and restarts the agent (<c>Restart=on-failure</c>). Microsoft.Extensions.Hosting.Systemd sends READY=1 and
/// STOPPING=1 but offers no watchdog; this is that part.
/// </summary>
public sealed partial class SystemdWatchdog(SystemdWatchdog.Target? target, Func<string?> whyNotAlive, TimeProvider time, ILogger<SystemdWatchdog> logger)
    : BackgroundService
{
    /// <summary>Where and how often to ping.</summary>
    public sealed record Target(string Socket, TimeSpan Interval);

    /// <summary>The watchdog systemd asked for, from <c>NOTIFY_SOCKET</c>, <c>WATCHDOG_USEC</c> and <c>WATCHDOG_PID</c>
    /// (when set, it must be this process); null when there is none.</summary>
    public static Target? FromEnvironment(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment("NOTIFY_SOCKET") is not { Length: > 0 } socket
            || !long.TryParse(environment("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out var microseconds) || microseconds <= 0)
        {
            return null;
        }

        if (environment("WATCHDOG_PID") is { Length: > 0 } pid && pid != Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
        {
            return null;
        }

        return new Target(socket, TimeSpan.FromMicroseconds(microseconds) / 2);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (target is null)
        {
            return;
        }

        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        // sd_notify: a leading '@' names an abstract socket.
        var endpoint = new UnixDomainSocketEndPoint(target.Socket.StartsWith('@') ? "\0" + target.Socket[1..] : target.Socket);
        var ping = Encoding.ASCII.GetBytes("WATCHDOG=1");
        LogWatching(target.Interval);
        bool withholding = false;
        using var timer = new PeriodicTimer(target.Interval, time);
        do
        {
            var why = whyNotAlive();
            if (why is null)
            {
                if (withholding)
                {
                    LogResumed();
                    withholding = false;
                }

                try
                {
                    await socket.SendToAsync(ping, SocketFlags.None, endpoint, stoppingToken).ConfigureAwait(false);
                }
                catch (SocketException e)
                {
                    LogSendFailed(target.Socket, e.Message);
                }
            }
            else if (!withholding)
            {
                LogWithheld(why);
                withholding = true;
            }
        }
        while (await NextTickAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    private static async Task<bool> NextTickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "systemd watchdog: pinging every {Interval} while the agent's loops are alive")]
    private partial void LogWatching(TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Critical, Message = "systemd watchdog: pings withheld, {Reason}; systemd will restart the agent")]
    private partial void LogWithheld(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "systemd watchdog: the agent's loops are alive again, pings resumed")]
    private partial void LogResumed();

    [LoggerMessage(Level = LogLevel.Warning, Message = "systemd watchdog: sending to {Socket} failed: {Error}")]
    private partial void LogSendFailed(string socket, string error);
}
