using System.Diagnostics;
using System.Globalization;
using System.Net;
using Reconciler.Ipvs;
using Reconciler.Linux.Ipvs;

namespace Reconciler.Bench.Ipvs;

/// <summary>
/// 1,000 services x 10 real servers in a fresh namespace: applying the table from empty through our pipelined client
/// against <c>ipvsadm -R</c>, and a full listing through our client against <c>ipvsadm -Sn</c>. Our times cover the
/// call only (client open, family resolved and code JIT-compiled beforehand by a warm-up round); ipvsadm's cover its
/// process from start to exit (run via ip netns exec), which is what a caller of ipvsadm pays.
/// </summary>
internal sealed class IpvsBenchmark : IBenchmark
{
    public string Name => "ipvs";

    public string Description => "apply and dump 1,000 services x 10 real servers: ours vs ipvsadm -R / -Sn (lab guest only)";

    public BenchmarkReport Run(IReadOnlyList<string> arguments)
    {
        int services = Option(arguments, "--services", 1000);
        int perService = Option(arguments, "--servers", 10);
        int runs = Option(arguments, "--runs", 3);
        var table = Table(services, perService);
        var operations = Creating(table);
        string rules = IpvsadmFormat.Save(table);

        using var space = new BenchNamespace();
        using var client = IpvsNetlinkClient.Open(space.Path);

        // Warm-up: JIT, family resolution, socket buffers.
        client.Execute(Creating(Table(50, perService)));
        _ = client.GetAll();
        client.Flush();

        var oursApply = new List<double>();
        var oursOneByOne = new List<double>();
        var ipvsadmRestore = new List<double>();
        var oursDump = new List<double>();
        var ipvsadmSave = new List<double>();
        for (int run = 0; run < runs; run++)
        {
            var clock = Stopwatch.StartNew();
            var results = client.Execute(operations);
            oursApply.Add(clock.Elapsed.TotalSeconds);
            if (results.FirstOrDefault(r => r.Error is not null) is { } failed)
            {
                throw new InvalidOperationException($"apply failed: {failed.Error!.Message}");
            }

            clock.Restart();
            var listed = client.GetAll();
            oursDump.Add(clock.Elapsed.TotalSeconds);
            Verify(listed, services, perService);

            var (saved, saveSeconds) = space.TimeIpvsadm(null, "-Sn");
            ipvsadmSave.Add(saveSeconds);
            if (saved != rules)
            {
                throw new InvalidOperationException("ipvsadm -Sn does not list what we applied");
            }

            client.Flush();
            var (_, restoreSeconds) = space.TimeIpvsadm(rules, "-R");
            ipvsadmRestore.Add(restoreSeconds);
            Verify(client.GetAll(), services, perService);
            client.Flush();

            clock.Restart();
            foreach (var operation in operations)
            {
                Apply(client, operation);
            }

            oursOneByOne.Add(clock.Elapsed.TotalSeconds);
            client.Flush();
        }

        var rows = new[]
        {
            BenchmarkRow.From($"apply {operations.Count} rules: ours, pipelined", oursApply),
            BenchmarkRow.From($"apply {operations.Count} rules: ours, one request each", oursOneByOne),
            BenchmarkRow.From($"apply {operations.Count} rules: ipvsadm -R", ipvsadmRestore),
            BenchmarkRow.From($"dump {operations.Count} rules: ours, GetAll", oursDump),
            BenchmarkRow.From($"dump {operations.Count} rules: ipvsadm -Sn", ipvsadmSave),
        };
        var ratios = new[]
        {
            new BenchmarkRatio("apply: ours pipelined / ipvsadm -R", rows[0].MedianSeconds / rows[2].MedianSeconds, 0.5),
            new BenchmarkRatio("dump: ours GetAll / ipvsadm -Sn", rows[3].MedianSeconds / rows[4].MedianSeconds, 1.0),
        };
        string measured = string.Create(
            CultureInfo.InvariantCulture,
            $"{services} services x {perService} real servers, {runs} runs, {Environment.ProcessorCount} CPUs; ours: the call only, after a warm-up; ipvsadm: its process, start to exit");
        return new BenchmarkReport(Name, measured, rows, ratios);
    }

    private static void Apply(IIpvsClient client, IpvsOperation operation)
    {
        switch (operation)
        {
            case AddService add:
                client.AddService(add.Service);
                break;
            case AddDestination add:
                client.AddDestination(add.Service, add.Destination);
                break;
            default:
                throw new InvalidOperationException(operation.Describe());
        }
    }

    private static void Verify(IReadOnlyList<ServiceWithDestinations> listed, int services, int perService)
    {
        if (listed.Count != services || listed.Any(s => s.Destinations.Count != perService))
        {
            throw new InvalidOperationException($"listed {listed.Count} services, expected {services} x {perService}");
        }
    }

    internal static List<ServiceWithDestinations> Table(int services, int perService)
    {
        var table = new List<ServiceWithDestinations>(services);
        for (int i = 0; i < services; i++)
        {
            var key = ServiceKey.ForAddress(IpvsProtocol.Tcp, new IPAddress([10, 1, (byte)(i >> 8), (byte)i]), 80);
            var service = new IpvsService(key, "wrr", IpvsServiceFlags.None, 0, 0xffffffff, null);
            var destinations = new List<DestinationEntry>(perService);
            for (int j = 0; j < perService; j++)
            {
                int n = (i * perService) + j;
                var destination = new IpvsDestination(new IPAddress([10, 2, (byte)(n >> 8), (byte)n]), 8080, IpvsForwarding.Masquerade, 1 + (j % 5), 0, 0);
                destinations.Add(new DestinationEntry(destination, 0, 0, 0, IpvsStats.Zero));
            }

            table.Add(new ServiceWithDestinations(new ServiceEntry(service, IpvsStats.Zero), destinations));
        }

        return table;
    }

    internal static List<IpvsOperation> Creating(List<ServiceWithDestinations> table)
    {
        var operations = new List<IpvsOperation>();
        foreach (var entry in table)
        {
            operations.Add(new AddService(entry.Service));
            operations.AddRange(entry.Destinations.Select(d => (IpvsOperation)new AddDestination(entry.Service.Key, d.Destination)));
        }

        return operations;
    }

    private static int Option(IReadOnlyList<string> arguments, string name, int fallback)
    {
        for (int i = 0; i + 1 < arguments.Count; i++)
        {
            if (arguments[i] == name)
            {
                return int.Parse(arguments[i + 1], CultureInfo.InvariantCulture);
            }
        }

        return fallback;
    }
}
