using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using Reconciler.Linux.Vrrp;
using Reconciler.Topology.Model;
using Reconciler.Vrrp;

// usage: Reconciler.VrrpDriver --iface IF --vrid N --version 2|3 --advert SECONDS --priority P --primary ADDR
//        --vip ADDR/LEN [--vip ...] [--peer ADDR ...] [--nopreempt] [--preempt-delay S] [--auth PASS]
//        [--notify CMD] [--status FILE] [--name NAME] [--track-iface IF:WEIGHT ...] [--garp N]
// Prints "STATE <from> <to> <reason> <priority> <unix-ms> <instance>" per transition. SIGTERM/SIGINT stop gracefully:
// the signal handler itself releases (priority 0, VIPs removed) and prints "SIGTERM <unix-ms>" (when the handler
// ran) and "RELEASED <unix-ms>" (when the release returned), then the main loop disposes. With --status, FILE is
// written before the instance starts and every 200 ms after (atomically: write, then rename). "BOOT <unix-ms>" first of all:
// when the runtime reached Main (process start and our own start-up told apart).
Console.Out.WriteLine(FormattableString.Invariant($"BOOT {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}"));
var options = Options.Parse(args);
var family = options.Primary.AddressFamily;
var config = new VrrpRouterConfig(
    options.Name,
    options.Interface,
    options.Vrid,
    options.Version,
    family,
    options.Advert,
    options.Priority,
    !options.NoPreempt,
    options.PreemptDelay,
    options.Primary,
    options.Peers.ToValueList(),
    options.Vips.ToValueList(),
    [],
    options.TrackInterfaces.ToValueList(),
    options.Auth,
    new GratuitousArp(options.Garp, TimeSpan.FromSeconds(5), options.Garp));

var runner = new VrrpInstanceRunner(config, new VrrpInstanceOptions
{
    NodeName = Environment.MachineName,
    Notify = options.Notify is null ? null : new VrrpNotify(null, null, null, null, options.Notify, null),
    Scripts = Reconciler.Linux.Scripts.ScriptRunner.Create(new Reconciler.Scripts.ScriptPolicy()),
});
runner.TransitionedImmediate += (t, at) =>
    Console.Out.WriteLine(FormattableString.Invariant($"STATE {t.From} {t.To} {t.Reason} {t.EffectivePriority} {at.ToUnixTimeMilliseconds()} {t.InstanceName}"));

using var stop = new CancellationTokenSource();
void OnStopSignal(PosixSignalContext context)
{
    // Release first, on the signal's own thread: no thread-pool hop or await before the priority-0 advert.
    var signalled = DateTimeOffset.UtcNow;
    runner.Release();
    var released = DateTimeOffset.UtcNow;
    Console.Out.WriteLine(FormattableString.Invariant($"{context.Signal} {signalled.ToUnixTimeMilliseconds()}"));
    Console.Out.WriteLine(FormattableString.Invariant($"RELEASED {released.ToUnixTimeMilliseconds()}"));
    context.Cancel = true;
    stop.Cancel();
}

using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnStopSignal);
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnStopSignal);
if (options.StatusFile is not null)
{
    // Before the instance starts: the file exists from STARTED on, and the serializer's first (slow, JIT) run is paid
    // before VRRP timers run rather than next to them.
    WriteStatus(options.StatusFile, runner.GetStatus());
}

Console.Out.Flush();
runner.Start();
Console.Out.WriteLine(FormattableString.Invariant($"STARTED {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}"));
try
{
    while (!stop.IsCancellationRequested)
    {
        if (options.StatusFile is not null)
        {
            WriteStatus(options.StatusFile, runner.GetStatus());
        }

        await Task.Delay(200, stop.Token);
    }
}
catch (OperationCanceledException)
{
}

await runner.DisposeAsync();
if (options.StatusFile is not null)
{
    WriteStatus(options.StatusFile, runner.GetStatus());
}

Console.Out.WriteLine("STOPPED");
return 0;

static void WriteStatus(string path, VrrpInstanceStatus status)
{
    var json = JsonSerializer.Serialize(new
    {
        state = status.State.ToString(),
        priority = status.EffectivePriority,
        advertsSent = status.AdvertsSent,
        advertsReceived = status.AdvertsReceived,
        dropped = status.Dropped,
        drops = status.DropsByReason.Where(d => d.Value > 0).ToDictionary(d => d.Key.ToString(), d => d.Value),
        transitions = status.Transitions,
        hostErrors = status.HostErrors,
    });
    File.WriteAllText(path + ".tmp", json);
    File.Move(path + ".tmp", path, overwrite: true);
}

internal sealed class Options
{
    public string Name { get; private set; } = "VI_1";
    public string Interface { get; private set; } = "eth0";
    public byte Vrid { get; private set; } = 51;
    public int Version { get; private set; } = 2;
    public TimeSpan Advert { get; private set; } = TimeSpan.FromSeconds(1);
    public int Priority { get; private set; } = 100;
    public IPAddress Primary { get; private set; } = IPAddress.None;
    public List<InterfaceAddress> Vips { get; } = [];
    public List<IPAddress> Peers { get; } = [];
    public List<VrrpTrackedInterface> TrackInterfaces { get; } = [];
    public bool NoPreempt { get; private set; }
    public TimeSpan PreemptDelay { get; private set; }
    public string? Auth { get; private set; }
    public string? Notify { get; private set; }
    public string? StatusFile { get; private set; }
    public int Garp { get; private set; } = 5;

    public static Options Parse(string[] args)
    {
        var o = new Options();
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--name": o.Name = Next(); break;
                case "--iface": o.Interface = Next(); break;
                case "--vrid": o.Vrid = byte.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--version": o.Version = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--advert": o.Advert = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)); break;
                case "--priority": o.Priority = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--primary": o.Primary = IPAddress.Parse(Next()); break;
                case "--vip": o.Vips.Add(InterfaceAddress.TryParse(Next(), out var vip) ? vip : throw new ArgumentException("bad --vip")); break;
                case "--peer": o.Peers.Add(IPAddress.Parse(Next())); break;
                case "--nopreempt": o.NoPreempt = true; break;
                case "--preempt-delay": o.PreemptDelay = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)); break;
                case "--auth": o.Auth = Next(); break;
                case "--notify": o.Notify = Next(); break;
                case "--status": o.StatusFile = Next(); break;
                case "--garp": o.Garp = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--track-iface":
                    var parts = Next().Split(':');
                    o.TrackInterfaces.Add(new VrrpTrackedInterface(parts[0], parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 0));
                    break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }

        if (o.Primary.Equals(IPAddress.None) && o.Vips.Count > 0)
        {
            throw new ArgumentException("--primary is required");
        }

        _ = o.Primary.AddressFamily == AddressFamily.InterNetworkV6 && o.Version == 2
            ? throw new ArgumentException("VRRPv2 is IPv4 only")
            : 0;
        return o;
    }
}
