using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Reconciler.Scripts.Mail;

/// <summary>
/// Sends one alert the way keepalived does (smtp.c): plain SMTP to the relay, <c>HELO</c>, <c>MAIL FROM</c>, one
/// <c>RCPT TO</c> per recipient, <c>DATA</c> with Date, From, Subject, X-Mailer and To headers and the body, then
/// <c>QUIT</c>. Every step expects keepalived's reply code (220, 250, 250 (or 251) per recipient, 354, 250) within
/// <see cref="MailSettings.Timeout"/>; anything else fails the send with the step and the relay's reply.
/// No authentication or TLS, as keepalived: point it at a local relay.
/// </summary>
public static class SmtpMailer
{
    private const int MaxReply = 4096;

    public static async Task SendAsync(MailSettings settings, MailAlert alert, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(alert);
        using var socket = await ConnectAsync(settings, cancellationToken).ConfigureAwait(false);
        var buffer = new byte[MaxReply];
        await ExpectAsync(socket, buffer, settings, "greeting", cancellationToken, 220).ConfigureAwait(false);
        await CommandAsync(socket, buffer, settings, $"HELO {settings.HeloName}", cancellationToken, 250).ConfigureAwait(false);
        await CommandAsync(socket, buffer, settings, $"MAIL FROM:<{settings.From}>", cancellationToken, 250).ConfigureAwait(false);
        foreach (var recipient in settings.To)
        {
            await CommandAsync(socket, buffer, settings, $"RCPT TO:<{recipient}>", cancellationToken, 250, 251).ConfigureAwait(false);
        }

        await CommandAsync(socket, buffer, settings, "DATA", cancellationToken, 354).ConfigureAwait(false);
        await SendAsync(socket, Message(settings, alert, now), settings, cancellationToken).ConfigureAwait(false);
        await ExpectAsync(socket, buffer, settings, "end of data", cancellationToken, 250).ConfigureAwait(false);
        try
        {
            // keepalived does not wait for QUIT's reply to count the mail as sent; neither do we.
            await SendAsync(socket, "QUIT\r\n", settings, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The DATA part: headers, a blank line, the body with lines starting with a dot doubled (RFC 5321
    /// 4.5.2), and the ending dot.</summary>
    public static string Message(MailSettings settings, MailAlert alert, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(alert);
        var text = new StringBuilder();
        text.Append("Date: ").Append(FormatDate(now)).Append("\r\n");
        text.Append("From: ").Append(settings.From).Append("\r\n");
        text.Append("Subject: ").Append(OneLine(alert.Subject)).Append("\r\n");
        text.Append("X-Mailer: Reconciler\r\n");
        text.Append("To: ").Append(string.Join(", ", settings.To)).Append("\r\n");
        text.Append("\r\n");
        foreach (var line in alert.Body.ReplaceLineEndings("\n").Split('\n'))
        {
            text.Append(line.StartsWith('.') ? "." : string.Empty).Append(line).Append("\r\n");
        }

        text.Append(".\r\n");
        return text.ToString();
    }

    /// <summary>RFC 5322's date: <c>Tue, 08 Dec 2026 04:11:14 +0000</c>.</summary>
    public static string FormatDate(DateTimeOffset now)
    {
        var offset = now.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        return now.ToString("ddd, dd MMM yyyy HH:mm:ss ", CultureInfo.InvariantCulture)
            + string.Create(CultureInfo.InvariantCulture, $"{sign}{abs.Hours:00}{abs.Minutes:00}");
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    private static async Task<Socket> ConnectAsync(MailSettings settings, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        try
        {
            var addresses = IPAddress.TryParse(settings.Host, out var literal)
                ? [literal]
                : await Dns.GetHostAddressesAsync(settings.Host, timeout.Token).ConfigureAwait(false);
            if (addresses.Length == 0)
            {
                throw new MailException($"{settings.Host} has no address");
            }

            var socket = new Socket(addresses[0].AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(new IPEndPoint(addresses[0], settings.Port), timeout.Token).ConfigureAwait(false);
                return socket;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MailException($"connecting to {Relay(settings)}: no connection within {settings.Timeout.TotalSeconds:0.###} s");
        }
        catch (SocketException e)
        {
            throw new MailException($"connecting to {Relay(settings)}: {e.Message}");
        }
    }

    private static async Task CommandAsync(Socket socket, byte[] buffer, MailSettings settings, string command, CancellationToken cancellationToken, params int[] expected)
    {
        await SendAsync(socket, command + "\r\n", settings, cancellationToken).ConfigureAwait(false);
        var verb = command.Split(' ', 2)[0].Split(':', 2)[0];
        await ExpectAsync(socket, buffer, settings, verb, cancellationToken, expected).ConfigureAwait(false);
    }

    private static async Task SendAsync(Socket socket, string text, MailSettings settings, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        var bytes = Encoding.UTF8.GetBytes(text);
        try
        {
            for (var sent = 0; sent < bytes.Length;)
            {
                sent += await socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MailException($"sending to {Relay(settings)}: not accepted within {settings.Timeout.TotalSeconds:0.###} s");
        }
        catch (SocketException e)
        {
            throw new MailException($"sending to {Relay(settings)}: {e.Message}");
        }
    }

    private static async Task ExpectAsync(Socket socket, byte[] buffer, MailSettings settings, string step, CancellationToken cancellationToken, params int[] expected)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        var filled = 0;
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, timeout.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new MailException($"{step}: {Relay(settings)} closed the connection");
                }

                filled += read;
                var status = SmtpReply.Read(buffer.AsSpan(0, filled), out var code, out var firstLine);
                if (status == SmtpReplyStatus.Incomplete && filled < buffer.Length)
                {
                    continue;
                }

                var line = Encoding.ASCII.GetString(buffer.AsSpan(0, filled)[firstLine]);
                if (status != SmtpReplyStatus.Complete)
                {
                    throw new MailException($"{step}: {Relay(settings)} sent no SMTP reply: '{line}'");
                }

                if (!expected.Contains(code))
                {
                    throw new MailException($"{step}: {Relay(settings)} replied '{line}' (expected {string.Join(" or ", expected)})");
                }

                return;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MailException($"{step}: no reply from {Relay(settings)} within {settings.Timeout.TotalSeconds:0.###} s");
        }
        catch (SocketException e)
        {
            throw new MailException($"{step}: {e.Message}");
        }
    }

    private static string Relay(MailSettings settings) =>
        settings.Host.Contains(':', StringComparison.Ordinal) ? $"[{settings.Host}]:{settings.Port}" : $"{settings.Host}:{settings.Port}";
}

/// <summary>A mail the relay did not take, with the step and what it said.</summary>
public sealed class MailException(string message) : Exception(message);
