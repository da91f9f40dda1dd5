using System.Globalization;

namespace Reconciler.KernelTests.Vrrp;

/// <summary>
/// tcpdump on the segment's bridge, line-buffered, VRRP only: every advert with its kernel capture time, so a test can
/// say when a packet was on the wire (same clock as <see cref="DateTimeOffset.UtcNow"/> in the guest).
/// </summary>
public sealed class VrrpCapture : IDisposable
{
    private readonly LabProcess _process;
    private readonly List<CapturedAdvert> _adverts = [];
    private int _linesRead;

    public VrrpCapture(VrrpLan lan)
    {
        _process = LabProcess.Start(lan.Bridge, "tcpdump", "-i", "br0", "-l", "-n", "-tt", "ip proto 112 or ip6 proto 112");
        _process.WaitForLine("listening on", TimeSpan.FromSeconds(30));
    }

    /// <summary>Adverts seen so far (lines are parsed once: polling stays cheap on the guest's one CPU).</summary>
    public IReadOnlyList<CapturedAdvert> Adverts
    {
        get
        {
            lock (_adverts)
            {
                foreach (var (_, line) in _process.Lines.Skip(_linesRead))
                {
                    _linesRead++;
                    if (CapturedAdvert.TryParse(line) is { } advert)
                    {
                        _adverts.Add(advert);
                    }
                }

                return [.. _adverts];
            }
        }
    }

    /// <summary>Waits for the first advert matching <paramref name="match"/> captured at or after <paramref name="since"/>.</summary>
    public CapturedAdvert WaitFor(Func<CapturedAdvert, bool> match, string what, DateTimeOffset since, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (DateTimeOffset.UtcNow < deadline)
        {
            var found = Adverts.FirstOrDefault(a => a.At >= since && match(a));
            if (found is not null)
            {
                return found;
            }

            Thread.Sleep(20);
        }

        throw new TimeoutException($"no {what} on the wire within {timeout.TotalSeconds:0.#} s; captured:\n{_process.Output}");
    }

    public void Dispose() => _process.Dispose();
}

/// <summary>One line of <c>tcpdump -n -tt</c> for a VRRP packet: "1700000000.123456 IP 10.77.0.1 &gt; 224.0.0.18: VRRPv2, Advertisement, vrid 51, prio 0, ...".</summary>
public sealed record CapturedAdvert(DateTimeOffset At, string Source, string Destination, int Vrid, int Priority, string Line)
{
    public static CapturedAdvert? TryParse(string line)
    {
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int vrid = Array.IndexOf(words, "vrid");
        int prio = Array.IndexOf(words, "prio");
        if (words.Length < 5 || vrid < 0 || prio < 0 || vrid + 1 >= words.Length || prio + 1 >= words.Length
            || !decimal.TryParse(words[0], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            return null;
        }

        var at = DateTimeOffset.FromUnixTimeMilliseconds(0) + TimeSpan.FromTicks((long)(seconds * TimeSpan.TicksPerSecond));
        return new CapturedAdvert(
            at,
            words[2],
            words[4].TrimEnd(':'),
            int.Parse(words[vrid + 1].TrimEnd(','), CultureInfo.InvariantCulture),
            int.Parse(words[prio + 1].TrimEnd(','), CultureInfo.InvariantCulture),
            line);
    }
}
