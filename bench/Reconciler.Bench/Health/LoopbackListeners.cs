using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Reconciler.Bench.Health;

/// <summary>
/// TCP listeners on 127.0.0.1 for the benchmark, each served by a dedicated thread that accepts and closes,
/// moved to the last CPU when the machine has more than one (so the checker keeps its core), and whose CPU
/// time is read from <c>/proc/thread-self/stat</c> so it can be left out of the checker's.
/// </summary>
internal sealed class LoopbackListeners : IDisposable
{
    private readonly List<Socket> _sockets = [];
    private readonly List<Thread> _threads = [];
    private readonly long[] _cpuTicks;
    private volatile bool _stopping;

    public LoopbackListeners(int count)
    {
        _cpuTicks = new long[count];
        var cpu = LastCpu();
        for (var i = 0; i < count; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            socket.Listen(4096);
            _sockets.Add(socket);
            var index = i;
            var thread = new Thread(() => Serve(socket, index, cpu)) { IsBackground = true, Name = $"listener {i}" };
            _threads.Add(thread);
            thread.Start();
        }

        Ports = [.. _sockets.Select(s => ((IPEndPoint)s.LocalEndPoint!).Port)];
    }

    public IReadOnlyList<int> Ports { get; }

    /// <summary>CPU used by the listener threads so far (10 ms resolution).</summary>
    public TimeSpan Cpu => TimeSpan.FromMilliseconds(10 * Enumerable.Range(0, _cpuTicks.Length).Sum(i => Interlocked.Read(ref _cpuTicks[i])));

    public void Dispose()
    {
        _stopping = true;
        foreach (var thread in _threads)
        {
            thread.Join();
        }

        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }
    }

    private void Serve(Socket listener, int index, int cpu)
    {
        if (cpu > 0)
        {
            var mask = 1UL << cpu;
            _ = SchedSetAffinity(0, sizeof(ulong), ref mask);
        }

        var nextCpuRead = 0L;
        while (!_stopping)
        {
            if (listener.Poll(TimeSpan.FromMilliseconds(50), SelectMode.SelectRead))
            {
                try
                {
                    listener.Accept().Dispose();
                }
                catch (SocketException)
                {
                }
            }

            if (Environment.TickCount64 >= nextCpuRead)
            {
                Interlocked.Exchange(ref _cpuTicks[index], ThreadCpuTicks());
                nextCpuRead = Environment.TickCount64 + 100;
            }
        }
    }

    /// <summary>utime + stime of the calling thread, in clock ticks (USER_HZ = 100).</summary>
    private static long ThreadCpuTicks()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    private static int LastCpu()
    {
        try
        {
            var cpus = Directory.GetDirectories("/sys/devices/system/cpu", "cpu*")
                .Select(d => Path.GetFileName(d)[3..])
                .Where(n => n.Length > 0 && n.All(char.IsAsciiDigit))
                .Select(n => int.Parse(n, CultureInfo.InvariantCulture))
                .ToList();
            return cpus.Count > 1 ? Math.Min(cpus.Max(), 63) : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    [DllImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static extern int SchedSetAffinity(int pid, nint cpusetSize, ref ulong mask);
}
