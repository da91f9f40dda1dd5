using System.Globalization;
using System.Text.Json.Nodes;
using Reconciler.KernelTests.Agent;
using Reconciler.KernelTests.Infrastructure;
using Reconciler.KernelTests.Vrrp;

namespace Reconciler.KernelTests.Keepalived;

/// <summary>
/// keepalived's <c>virtual_routes</c>, <c>virtual_rules</c>, <c>static_routes</c>, <c>static_rules</c> and
/// <c>static_ipaddress</c>, from one keepalived.conf shared by lb1 and lb2 through conditional lines, against keepalived
/// itself, through the real agent. keepalived 2.2.7 runs it as lb1 (<c>-i lb1</c>, MASTER) on a segment of its own;
/// <c>reconciler import keepalived</c> reads the same file for lb1 and lb2, and two published agents follow the
/// imported topology from a git repository on another segment, lb1 and lb2 in namespaces with the same interfaces as
/// keepalived's. lb1's routes, rules and addresses are keepalived's; lb2, the BACKUP, has the static ones and none of
/// the instance's until lb1's agent stops, and then the instance's are keepalived's. Every wait is for an outcome.
/// </summary>
[Collection("vrrp-timing")]
public sealed class RoutesOracleTests
{
    private const string Config = """
        global_defs {
        @lb1    router_id lb1
        @lb2    router_id lb2
        }
        static_ipaddress {
        @lb1    192.168.77.1/24 dev eth0
        @lb2    192.168.77.2/24 dev eth0
        }
        static_routes {
            10.66.0.0/16 via 10.77.0.254 dev eth0
        }
        static_rules {
            from 192.168.77.0/24 table 1001 priority 200
        }
        vrrp_instance VI_1 {
        @lb1    state MASTER
        @lb2    state BACKUP
            interface eth0
            virtual_router_id 51
        @lb1    priority 150
        @lb2    priority 100
            advert_int 1
            authentication {
                auth_type PASS
                auth_pass 1111
            }
            virtual_ipaddress {
                10.77.0.100/24
            }
            virtual_routes {
                10.88.0.0/16 via 10.77.0.254 dev eth0 table 1000
                blackhole 10.99.0.0/16 table 1000
                10.55.0.0/16 via 10.77.0.254 dev eth0 src 10.77.0.100
            }
            virtual_rules {
                from 10.77.0.100 table 1000 priority 100
                fwmark 7 table 1000 priority 101
            }
        }
        """;

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public void SharedConfig_AgentsRoutesRulesAndAddresses_AreKeepalivedsAndFollowTheMaster()
    {
        using var oracle = new KeepalivedOracle();
        var conf = oracle.WriteConfig(Config);
        using var keepalivedLan = new VrrpLan();
        using var agentLan = new VrrpLan();
        string k1 = keepalivedLan.AddNode(1);
        string n1 = agentLan.AddNode(1);
        string n2 = agentLan.AddNode(2);
        using var work = new TopologyRepository(conf);

        using var keepalived = LabProcess.Start(k1, "keepalived", "-P", "-n", "-l", "-D", "--dont-respawn", "-f", conf, "-i", "lb1",
            "-p", Path.Combine(work.Directory, "keepalived.pid"), "-r", Path.Combine(work.Directory, "vrrp.pid"));
        using var lb1 = work.StartAgent(n1, "lb1");

        // keepalived as MASTER: its VIP, the instance's last route and last rule (it adds them in file order), and so
        // the rest; the static ones it added at start.
        Wait(() => HoldsVirtual(k1), "keepalived (lb1) MASTER with the VIP, the virtual routes and rules", VrrpLan.StartTimeout, keepalived, k1);
        var expected = Snapshot(k1);
        List<string> ours = [];
        Wait(() => (ours = Snapshot(n1)).SequenceEqual(expected) || lb1.HasExited, "lb1's agent holds what keepalived holds", VrrpLan.StartTimeout, lb1, n1, expected);
        Assert.Equal(expected, ours);
        Assert.Equal(6, Virtual(expected).Count); // 3 routes, 2 rules, the VIP
        Assert.True(HoldsStatic(k1), "keepalived holds the static address, route and rule");

        // lb2, started once lb1 is MASTER, BACKUP from the start: the static address, route and rule (its reconcile
        // applied the node's plan), none of the instance's.
        using var lb2 = work.StartAgent(n2, "lb2");
        Wait(() => ReportsState(n2, "BACKUP") && HoldsStatic(n2), "lb2's agent BACKUP with the static address, route and rule", VrrpLan.StartTimeout, lb2, n2);
        Assert.False(VrrpLan.HasAddress(n2, "10.77.0.100"), "lb2 BACKUP holds no VIP");
        Assert.Empty(Virtual(Snapshot(n2)));

        // lb1's agent stops (it resigns): lb2 takes over, with keepalived's virtual routes and rules.
        lb1.Terminate(Bound);
        Wait(() => Virtual(Snapshot(n2)).SequenceEqual(Virtual(expected)), "lb2 MASTER with keepalived's virtual routes and rules", Bound, lb2, n2, Virtual(expected));
        Assert.True(VrrpLan.HasAddress(n2, "10.77.0.100"), "lb2 MASTER holds the VIP");
        Assert.True(HoldsStatic(n2), "lb2 keeps its static address, route and rule");
    }

    /// <summary>
    /// A namespace's IPv4 routes in every table, rules and addresses, one line each, sorted. Left out, as legitimately
    /// different: a route's or rule's <c>protocol</c> (keepalived 2.2.7 labels its own <c>proto keepalived</c>, 18, and we
    /// label ours 82: each knows what it owns by it) and an address's lifetimes (both forever). Everything else, the kernel's own routes
    /// for the addresses included, must be the same: both namespaces have the same links, MACs and base addresses.
    /// IPv6 is left out: the config has none, and the link-local addresses are the kernel's.
    /// </summary>
    private static List<string> Snapshot(string space)
    {
        var lines = new List<string>();
        foreach (var route in Json(space, "-4", "route", "show", "table", "all"))
        {
            lines.Add("route " + Line(route, "protocol"));
        }

        foreach (var rule in Json(space, "-4", "rule", "show"))
        {
            lines.Add("rule " + Line(rule, "protocol"));
        }

        foreach (var link in Json(space, "-4", "addr", "show"))
        {
            foreach (var address in link["addr_info"]?.AsArray() ?? [])
            {
                lines.Add($"addr {link["ifname"]} " + Line(address!.AsObject(), "valid_life_time", "preferred_life_time"));
            }
        }

        return [.. lines.Order(StringComparer.Ordinal)];
    }

    /// <summary>The instance's part of a snapshot: the routes in table 1000 and the rules to it, the route from the VIP,
    /// the VIP. Not the kernel's local route for the VIP: its source is the node's own address.</summary>
    private static List<string> Virtual(List<string> snapshot) =>
        [.. snapshot.Where(l => !l.Contains("table=\"local\"", StringComparison.Ordinal) && (l.Contains("table=\"1000\"", StringComparison.Ordinal)
            || l.Contains("=\"10.55.0.0/16\"", StringComparison.Ordinal) || l.Contains("=\"10.77.0.100\"", StringComparison.Ordinal)))];

    private static string Line(JsonObject item, params string[] without)
    {
        foreach (var name in without)
        {
            item.Remove(name);
        }

        return string.Join(' ', item.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value?.ToJsonString()}"));
    }

    private static IEnumerable<JsonObject> Json(string space, params string[] arguments)
    {
        var text = VrrpLan.Ip(space, ["-j", .. arguments]);
        return JsonNode.Parse(text.Length == 0 ? "[]" : text)!.AsArray().Select(n => n!.AsObject());
    }

    private static bool HoldsVirtual(string space) =>
        VrrpLan.HasAddress(space, "10.77.0.100") && VrrpLan.Ip(space, "-4", "rule", "show").Contains("fwmark 0x7 lookup 1000", StringComparison.Ordinal)
        && VrrpLan.Ip(space, "-4", "route", "show").Contains("10.55.0.0/16", StringComparison.Ordinal);

    private static bool HoldsStatic(string space) =>
        VrrpLan.Ip(space, "-4", "addr", "show", "dev", "eth0").Contains("192.168.77.", StringComparison.Ordinal)
        && VrrpLan.Ip(space, "-4", "route", "show").Contains("10.66.0.0/16", StringComparison.Ordinal)
        && VrrpLan.Ip(space, "-4", "rule", "show").Contains("from 192.168.77.0/24 lookup 1001", StringComparison.Ordinal);

    /// <summary>Whether the agent in <paramref name="space"/> answers on its endpoint and reports <paramref name="state"/> for VI_1.</summary>
    private static bool ReportsState(string space, string state)
    {
        var metrics = Lab.Run("ip", "netns", "exec", space, "curl", "-sf", $"http://127.0.0.1:{AgentLab.EndpointPort.ToString(CultureInfo.InvariantCulture)}/metrics");
        return metrics.ExitCode == 0 && PrometheusSample.Parse(metrics.Output).Sum("reconciler_vrrp_state", $"state=\"{state}\"") == 1;
    }

    /// <summary>Waits for <paramref name="condition"/>; on a timeout, says what <paramref name="space"/> holds (and what it
    /// should, if given) and what <paramref name="process"/> wrote.</summary>
    private static void Wait(Func<bool> condition, string what, TimeSpan timeout, LabProcess process, string space, List<string>? expected = null)
    {
        try
        {
            AgentLab.WaitUntil(condition, what, timeout);
        }
        catch (TimeoutException e)
        {
            string wanted = expected is null ? "" : $"expected:\n{string.Join('\n', expected)}\n";
            throw new TimeoutException($"{e.Message}\n{wanted}{space} holds:\n{string.Join('\n', Snapshot(space))}\n{process.What}:\n{process.Output}", e);
        }
    }

    /// <summary>A folder with the config's import for lb1 and lb2 committed as topology.yaml in a git repository, and
    /// each agent's state folder.</summary>
    private sealed class TopologyRepository : IDisposable
    {
        public TopologyRepository(string conf)
        {
            Directory = System.IO.Directory.CreateTempSubdirectory("routes-oracle-").FullName;
            Repository = Path.Combine(Directory, "topology");
            System.IO.Directory.CreateDirectory(Repository);
            Lab.Run(ReconcilerBinary.Path, "import", "keepalived", "lb1=" + conf, "lb2=" + conf, "-o", Path.Combine(Repository, "topology.yaml"))
                .Check("import keepalived lb1 lb2");
            Git("init", "--quiet", "--initial-branch=main");
            Git("add", "topology.yaml");
            Git("commit", "--quiet", "-m", "lb1 and lb2 imported from keepalived.conf");
        }

        public string Directory { get; }

        public string Repository { get; }

        public LabProcess StartAgent(string space, string node) => LabProcess.Start(space, ReconcilerBinary.Path,
            "agent", "--node", node, "--repo", "file://" + Repository, "--state-dir", Path.Combine(Directory, "state-" + node), "--poll-interval", "2s");

        public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

        private void Git(params string[] arguments) =>
            Lab.Run("git", ["-C", Repository, "-c", "user.name=Ops Alice", "-c", "user.email=alice@example.org", .. arguments]).Check("git " + string.Join(' ', arguments));
    }
}
