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
        using var oracle = new KeepalivedOracle();
        var conf = oracle.WriteConfig(Shared);
        var tables = new List<string>();
        foreach (var director in (string[])["lb1", "lb2"])
        {
            string ours = oracle.OurTable(conf, director);
            string keepalived = oracle.KeepalivedTable(conf, director, ours);
            Assert.Equal(ours, keepalived);
            tables.Add(ours);
        }

        Assert.NotEqual(tables[0], tables[1]);
        Assert.Contains("-A -t 10.0.0.120:80 -s wrr -p 50", tables[0], StringComparison.Ordinal);
        Assert.Contains("-A -t 10.0.0.121:443 -s sh", tables[1], StringComparison.Ordinal);
    }
}
