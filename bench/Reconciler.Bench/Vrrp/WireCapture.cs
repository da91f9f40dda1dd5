using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Reconciler.Bench.Vrrp;

/// <summary>
/// tcpdump on a bridge, line-buffered: VRRP adverts and ARP with their kernel capture times (the guest's realtime clock,
/// the same as <see cref="DateTimeOffset.UtcNow"/>), so that "when did it happen" means "when was it on the wire",
/// whichever implementation sent it and however late it logged.
/// </summary>
internal sealed class WireCapture : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<WirePacket> _packets = new();
    private readonly ManualResetEventSlim _listening = new();

    public WireCapture(string space, string device)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in new[] { "netns", "exec", space, "tcpdump", "-i", device, "-l", "-n", "-tt", "ip proto 112 or arp" })
        {
            start.ArgumentList.Add(a);
        }

        _process = Process.Start(start)!;
        _process.StandardInput.Close();
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null && WirePacket.TryParse(e.Data) is { } packet)
            {
                _packets.Enqueue(packet);
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null && e.Data.Contains("listening on", StringComparison.Ordinal))
            {
                _listening.Set();
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (!_listening.Wait(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException("tcpdump did not start");
        }
    }

    /// <summary>Waits for the first packet matching <paramref name="match"/> captured after <paramref name="since"/>.</summary>
    public WirePacket WaitFor(Func<WirePacket, bool> match, DateTimeOffset since, TimeSpan timeout, string what)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (DateTimeOffset.UtcNow < deadline)
        {
            var found = FirstAfter(match, since);
            if (found is not null)
            {
                return found;
            }

            Thread.Sleep(5);
        }

        throw new TimeoutException($"no {what} on the wire within {timeout}");
    }

    /// <summary>The first packet matching <paramref name="match"/> captured after <paramref name="since"/>, or null
    /// while there is none (for a caller that watches something else too, such as the process that should send it).</summary>
    public WirePacket? FirstAfter(Func<WirePacket, bool> match, DateTimeOffset since) =>
        _packets.FirstOrDefault(p => p.At > since && match(p));

    /// <summary>The last packet matching <paramref name="match"/> captured before <paramref name="before"/>.</summary>
    public WirePacket? LastBefore(Func<WirePacket, bool> match, DateTimeOffset before) =>
        _packets.Where(p => p.At < before && match(p)).MaxBy(p => p.At);

    public void Dispose()
    {
        try
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        _listening.Dispose();
    }
}

/// <summary>
/// One tcpdump -n -tt line: a VRRP advert ("... IP 10.78.0.1 &gt; 224.0.0.18: VRRPv3, Advertisement, vrid 61, prio 150, ...")
/// or an ARP ("... ARP, Request who-has 10.78.0.100 tell 10.78.0.100, length 28"; a gratuitous one asks for its own address).
/// </summary>
internal sealed record WirePacket(DateTimeOffset At, string Source, int Priority, bool IsVrrp, bool IsGratuitousArp)
{
    public static WirePacket? TryParse(string line)
    {
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 4 || !decimal.TryParse(words[0], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            return null;
        }

        var at = DateTimeOffset.UnixEpoch + TimeSpan.FromTicks((long)(seconds * TimeSpan.TicksPerSecond));
        int prio = Array.IndexOf(words, "prio");
        if (words[1] == "IP" && prio > 0 && prio + 1 < words.Length)
        {
            return new WirePacket(at, words[2], int.Parse(words[prio + 1].TrimEnd(','), CultureInfo.InvariantCulture), IsVrrp: true, IsGratuitousArp: false);
        }

        int whoHas = Array.IndexOf(words, "who-has");
        int tell = Array.IndexOf(words, "tell");
        if (words[1] == "ARP," && whoHas > 0 && tell > whoHas + 1 && tell + 1 < words.Length)
        {
            string target = words[whoHas + 1];
            string sender = words[tell + 1].TrimEnd(',');
            return new WirePacket(at, sender, 0, IsVrrp: false, IsGratuitousArp: target == sender);
        }

        return null;
    }
}
