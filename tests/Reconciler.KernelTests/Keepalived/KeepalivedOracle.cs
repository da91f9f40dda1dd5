using Reconciler.KernelTests.Agent;
using Reconciler.KernelTests.Infrastructure;
using Reconciler.KernelTests.Vrrp;

namespace Reconciler.KernelTests.Keepalived;

/// <summary>
/// One keepalived.conf read two ways, each in a namespace of its own: by keepalived's checker itself
/// (<c>keepalived -C -i ID</c>), and by our importer and <c>apply</c>. The IPVS tables are compared as
/// <c>ipvsadm -Sn</c> lists them. Owns a folder for the configuration, the topologies and keepalived's pid files.
/// </summary>
internal sealed class KeepalivedOracle : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("keepalived-oracle-").FullName;

    /// <summary>Writes <paramref name="text"/> as keepalived.conf in the oracle's folder; its path.</summary>
    public string WriteConfig(string text)
    {
        var conf = Path.Combine(_directory, "keepalived.conf");
        File.WriteAllText(conf, text);
        return conf;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>ipvsadm -Sn's lines, sorted: two namespaces list services in their own hash order.</summary>
    public static string Sorted(string save) =>
        string.Join('\n', save.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));

    /// <summary><c>reconciler import keepalived NODE=CONF</c>, then <c>apply</c> for that node: the table.</summary>
    public string OurTable(string conf, string node)
    {
        using var space = LabNamespace.Create();
        using var reconciler = new ReconcilerBinary(space);
        string topology = Path.Combine(_directory, node + ".yaml");
        reconciler.Run("import", "keepalived", $"{node}={conf}", "-o", topology).Check($"import keepalived {node}={conf}");
        reconciler.Run("apply", "-f", topology, "--node", node, "--state-dir", reconciler.StateDirectory).Check($"apply {node}");
        return Sorted(space.Save());
    }

    /// <summary>keepalived's checker alone (-C) with config id <paramref name="configId"/>, until its table is
    /// <paramref name="expected"/> (real servers without checkers go in at start-up) or a minute has passed: the
    /// table it built.</summary>
    public string KeepalivedTable(string conf, string configId, string expected)
    {
        using var space = LabNamespace.Create();
        using var keepalived = LabProcess.Start(space.Name, "keepalived", "-C", "-n", "-l", "-D", "--dont-respawn", "-f", conf,
            "-p", Path.Combine(_directory, configId + ".pid"), "-c", Path.Combine(_directory, configId + ".checkers.pid"), "-i", configId);
        string table = "";
        try
        {
            AgentLab.WaitUntil(() => (table = Sorted(space.Save())) == expected || keepalived.HasExited, $"keepalived -i {configId} builds the table", TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            // The caller's assertion shows both tables; keepalived's output says why they differ.
            Console.Error.WriteLine($"keepalived -i {configId}:\n{keepalived.Output}");
        }

        return table;
    }
}
