namespace Reconciler.KernelTests.Keepalived;

/// <summary>
/// A <c>virtual_server_group</c> (an IPv4 range, a single address on another port, a firewall mark) and the
/// <c>virtual_server group</c> over it: keepalived's checker and our import + apply build the same IPVS table.
/// </summary>
public sealed class VirtualServerGroupTests
{
    private const string Config = """
        virtual_server group WEB {
            lb_algo wrr
            lb_kind NAT
            persistence_timeout 30
            protocol TCP
            real_server 10.0.1.1 8080 {
                weight 2
            }
            real_server 10.0.1.2 8080 {
                weight 1
            }
        }
        virtual_server_group WEB {
            10.0.0.120-122 80
            10.0.0.130 443
            fwmark 7
        }
        """;

    [Fact]
    public void Group_OurTableIsKeepalivedsTable()
    {
        using var oracle = new KeepalivedOracle();
        var conf = oracle.WriteConfig(Config);

        string ours = oracle.OurTable(conf, "lb1");
        string keepalived = oracle.KeepalivedTable(conf, "lb1", ours);

        Assert.Equal(ours, keepalived);
        Assert.Equal(5, ours.Split('\n').Count(l => l.StartsWith("-A ", StringComparison.Ordinal)));
        Assert.Contains("-A -f 7 -s wrr -p 30", ours, StringComparison.Ordinal);
    }
}
