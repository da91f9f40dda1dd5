using Reconciler.KernelTests.Agent;
using Reconciler.KernelTests.Infrastructure;
using Reconciler.KernelTests.Vrrp;

namespace Reconciler.KernelTests.Keepalived;

/// <summary>
/// One keepalived.conf shared by two directors through conditional lines (@ID, @^ID), read by keepalived itself
/// (<c>keepalived -C -i ID</c>) and by our importer (<c>import keepalived ID=FILE</c>, then <c>apply</c>): for each
/// director, the two IPVS tables are the same.
/// </summary>
public sealed class SharedConfigTests
{
    private const string Shared = """
        global_defs {
        @lb1    router_id lb1
        @lb2    router_id lb2
        }
        virtual_server 10.0.0.120 80 {
            delay_loop 6
        @lb1    lb_algo wrr
        @^lb1   lb_algo rr
            lb_kind DR
        @lb1    persistence_timeout 50
            protocol TCP
            real_server 10.0.0.3 80 {
        @lb1        weight 3
        @lb2        weight 1
            }
        @lb2    real_server 10.0.0.4 80 {
        @lb2        weight 2
        @lb2    }
        }
        @lb2 virtual_server 10.0.0.121 443 {
        @lb2    lb_algo sh
        @lb2    lb_kind NAT
        @lb2    protocol TCP
        @lb2    real_server 10.0.1.5 8443 {
        @lb2    }
        @lb2 }
        """;

    [Fact]
    public void SharedFile_EachDirector_OurTableIsKeepalivedsTable()
    {
        var directory = Directory.CreateTempSubdirectory("shared-conf-").FullName;
        try
        {
            var conf = Path.Combine(directory, "keepalived.conf");
            File.WriteAllText(conf, Shared);
            var tables = new List<string>();
            foreach (var director in (string[])["lb1", "lb2"])
            {
                string ours = OurTable(conf, director, directory);
                string keepalived = KeepalivedTable(conf, director, directory, ours);
                Assert.Equal(ours, keepalived);
                tables.Add(ours);
            }

            Assert.NotEqual(tables[0], tables[1]);
            Assert.Contains("-A -t 10.0.0.120:80 -s wrr -p 50", tables[0], StringComparison.Ordinal);
            Assert.Contains("-A -t 10.0.0.121:443 -s sh", tables[1], StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>ipvsadm -Sn's lines, sorted: two namespaces list services in their own hash order.</summary>
    private static string Sorted(string save) =>
        string.Join('\n', save.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));

    private static string OurTable(string conf, string director, string directory)
    {
        using var space = LabNamespace.Create();
        using var reconciler = new ReconcilerBinary(space);
        string topology = Path.Combine(directory, director + ".yaml");
        reconciler.Run("import", "keepalived", $"{director}={conf}", "-o", topology).Check($"import keepalived {director}={conf}");
        reconciler.Run("apply", "-f", topology, "--node", director, "--state-dir", reconciler.StateDirectory).Check($"apply {director}");
        return Sorted(space.Save());
    }

    /// <summary>keepalived's checker alone (-C) with config id <paramref name="director"/>, until its table is
    /// <paramref name="expected"/> (real servers without checkers go in at start-up) or a minute has passed.</summary>
    private static string KeepalivedTable(string conf, string director, string directory, string expected)
    {
        using var space = LabNamespace.Create();
        using var keepalived = LabProcess.Start(space.Name, "keepalived", "-C", "-n", "-l", "-D", "--dont-respawn", "-f", conf,
            "-p", Path.Combine(directory, director + ".pid"), "-c", Path.Combine(directory, director + ".checkers.pid"), "-i", director);
        string table = "";
        try
        {
            AgentLab.WaitUntil(() => (table = Sorted(space.Save())) == expected || keepalived.HasExited, $"keepalived -i {director} builds the table", TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            // The assertion shows both tables; keepalived's output says why they differ.
            Console.Error.WriteLine($"keepalived -i {director}:\n{keepalived.Output}");
        }

        return table;
    }
}
