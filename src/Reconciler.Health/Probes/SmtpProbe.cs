using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using Reconciler.Scripts.Mail;
using Reconciler.Topology.Model;

namespace Reconciler.Health.Probes;

/// <summary>
/// keepalived's SMTP_CHECK (<c>check_smtp.c</c>): connect, the greeting must be 220, <c>HELO name</c> must be answered
/// 250, then <c>QUIT</c>, whose reply must come (its code is not checked, as keepalived does not). As in keepalived the
/// connect timeout bounds each step on its own (the connect, then each reply with the line sent before it), not the
/// whole exchange, so the probe's <see cref="Timeout"/> is four of them. Replies of several lines (<c>250-...</c>)
/// are read to their last line (keepalived reads only the first line, and fails a <c>220-</c> greeting). The
/// connection is then closed politely, as keepalived closes it: after <c>221</c> the server closes first, so the
/// TIME_WAIT stays on its side.
/// </summary>
public sealed class SmtpProbe : IHealthProbe, ISelfTimedProbe
{
    /// <summary>keepalived's <c>SMTP_DEFAULT_HELO</c> (<c>check_smtp.h</c>), sent when the check names none.</summary>
    public const string DefaultHeloName = Topology.TopologyDefaults.SmtpHeloName;

    /// <summary>A reply longer than this fails the check rather than being read on.</summary>
    internal const int MaxReplyBytes = 4096;

    private const int Steps = 4;

    private static readonly byte[] Quit = "QUIT\r\n"u8.ToArray();

    private readonly IPEndPoint _endPoint;
    private readonly IPAddress? _bindAddress;
    private readonly TimeProvider _time;
    private readonly TimeSpan _stepTimeout;
    private readonly byte[] _helo;
    private readonly string _heloName;
    private readonly string _what;
    private readonly string? _configError;

    public SmtpProbe(IPEndPoint endPoint, string? heloName, TimeSpan connectTimeout, IPAddress? bindAddress, TimeProvider time)
    {
        _endPoint = endPoint;
        _bindAddress = bindAddress;
        _time = time;
        _stepTimeout = connectTimeout;
        _heloName = string.IsNullOrWhiteSpace(heloName) ? DefaultHeloName : heloName.Trim();
        _helo = Encoding.ASCII.GetBytes("HELO " + _heloName + "\r\n");
        if (!Ascii.IsValid(_heloName) || _heloName.Any(char.IsControl))
        {
            // A line break would end the command early and smuggle another in.
            _configError = "the HELO name is not printable ASCII";
        }
        Timeout = connectTimeout * Steps;
        _what = "smtp " + VirtualService.FormatEndpoint(endPoint.Address, endPoint.Port);
    }

    /// <summary>The whole exchange's bound: the connect timeout for each of its four steps.</summary>
    public TimeSpan Timeout { get; }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        if (_configError is not null)
        {
            return ProbeResult.Fail($"{_what} not probed: {_configError}");
        }

        using var timeout = new CancellationTokenSource(_stepTimeout, _time);
        using var link = cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), timeout);
        using var socket = new Socket(_endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        var buffer = ArrayPool<byte>.Shared.Rent(MaxReplyBytes);
        var step = "connect";
        try
        {
            if (_bindAddress is not null)
            {
                socket.Bind(new IPEndPoint(_bindAddress, 0));
            }

            await socket.ConnectAsync(_endPoint, timeout.Token);

            step = "greeting";
            timeout.CancelAfter(_stepTimeout);
            var (status, code, length) = await ReadReplyAsync(socket, buffer, timeout.Token);
            if (status != SmtpReplyStatus.Complete || code != 220)
            {
                return Unexpected(step, status, code, buffer.AsSpan(0, length), "220");
            }

            step = "HELO";
            timeout.CancelAfter(_stepTimeout);
            await socket.SendAsync(_helo, SocketFlags.None, timeout.Token);
            (status, code, length) = await ReadReplyAsync(socket, buffer, timeout.Token);
            if (status != SmtpReplyStatus.Complete || code != 250)
            {
                return Unexpected($"HELO {_heloName} answered", status, code, buffer.AsSpan(0, length), "250");
            }

            step = "QUIT";
            timeout.CancelAfter(_stepTimeout);
            await socket.SendAsync(Quit, SocketFlags.None, timeout.Token);
            (status, code, length) = await ReadReplyAsync(socket, buffer, timeout.Token);
            if (status != SmtpReplyStatus.Complete)
            {
                return Unexpected("QUIT answered", status, code, buffer.AsSpan(0, length), "a reply");
            }

            return ProbeResult.Pass($"{_what} greeting 220, HELO {_heloName} 250");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeResult.Fail($"{_what} {step} timed out after {ProbeText.Duration(_stepTimeout)}");
        }
        catch (OperationCanceledException)
        {
            return ProbeResult.Fail(_what + " cancelled");
        }
        catch (SocketException e)
        {
            return ProbeResult.Fail($"{_what} {step} {SocketErrors.Describe(e)}");
        }
        catch (EndOfStreamException)
        {
            return ProbeResult.Fail($"{_what} {step}: connection closed before a reply");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads one reply into <paramref name="buffer"/> from its start; throws <see cref="EndOfStreamException"/>
    /// when the server closes first.</summary>
    private static async ValueTask<(SmtpReplyStatus Status, int Code, int Length)> ReadReplyAsync(Socket socket, byte[] buffer,
        CancellationToken cancellationToken)
    {
        var filled = 0;
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                throw new EndOfStreamException();
            }

            filled += read;
            var status = SmtpReply.Read(buffer.AsSpan(0, filled), out var code, out _);
            if (status != SmtpReplyStatus.Incomplete || filled == buffer.Length)
            {
                return (status, code, filled);
            }
        }
    }

    private ProbeResult Unexpected(string what, SmtpReplyStatus status, int code, ReadOnlySpan<byte> reply, string expected)
    {
        SmtpReply.Read(reply, out _, out var firstLine);
        var line = firstLine.End.Value > 0 ? reply[firstLine] : reply;
        var quoted = ProbeText.FirstLine(Encoding.Latin1.GetString(line));
        return status switch
        {
            SmtpReplyStatus.Complete =>
                ProbeResult.Fail($"{_what} {what} {code.ToString(CultureInfo.InvariantCulture)} (expected {expected}): {quoted}"),
            SmtpReplyStatus.Malformed => ProbeResult.Fail($"{_what} {what}: not an SMTP reply: {quoted}"),
            _ => ProbeResult.Fail($"{_what} {what}: reply longer than {MaxReplyBytes} bytes"),
        };
    }
}
