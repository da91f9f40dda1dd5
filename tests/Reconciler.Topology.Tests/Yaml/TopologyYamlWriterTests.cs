using System.Net;
using System.Net.Sockets;
using Reconciler.Topology.Model;
using Reconciler.Topology.Loading;
using Reconciler.Topology.Yaml;

namespace Reconciler.Topology.Tests.Yaml;

public sealed class TopologyYamlWriterTests
{
    [Fact]
    public void Write_Seed_GivesCanonicalYaml() =>
        Assert.Equal(Samples.SeedYaml, TopologyYamlWriter.Write(Samples.Seed));

    [Fact]
    public void Write_WithSchemaReference_PutsModelineFirst()
    {
        var text = TopologyYamlWriter.Write(Samples.Seed, "../schemas/topology.schema.json");
        Assert.StartsWith("# yaml-language-server: $schema=../schemas/topology.schema.json\nnodes:\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Empty_GivesEmptyMapping() =>
        Assert.Equal("{}\n", TopologyYamlWriter.Write(Topology.Model.Topology.Empty));

    [Theory]
    [InlineData("lb1", "lb1")]
    [InlineData("1111", "\"1111\"")]
    [InlineData("true", "\"true\"")]
    [InlineData("yes", "\"yes\"")]
    [InlineData("", "\"\"")]
    [InlineData("2001:db8::1", "\"2001:db8::1\"")]
    [InlineData("a b", "\"a b\"")]
    [InlineData("tab\there", "\"tab\\there\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData("1e3", "\"1e3\"")]
    public void FormatString_QuotesWhatWouldNotReadBack(string text, string expected) =>
        Assert.Equal(expected, YamlScalars.FormatString(text));

    [Fact]
    public void Write_Ipv6Instance_QuotesAddressesAndKeepsPrefixes()
    {
        var instance = Samples.Seed.VrrpInstances[0] with
        {
            Version = 3,
            Authentication = null,
            AdvertInterval = TimeSpan.FromMilliseconds(500),
            VirtualAddresses = [new InterfaceAddress(IPAddress.Parse("2001:db8::120"), 64), new InterfaceAddress(IPAddress.Parse("2001:db8::121"), 128)],
            Notify = new VrrpNotify(null, null, null, null, null, null),
            TrackChecks = [new TrackedCheckReference("nginx", -30)],
        };

        var text = TopologyYamlWriter.Write(Topology.Model.Topology.Empty with { VrrpInstances = [instance] });

        Assert.Equal(
            """
            vrrpInstances:
              - name: VI_1
                interface: eth0
                virtualRouterId: 51
                version: 3
                advertInterval: 500ms
                priorities: {lb1: 100, lb2: 80}
                virtualAddresses: ["2001:db8::120/64", "2001:db8::121"]
                trackChecks: [{check: nginx, weight: -30}]
                notify: {}

            """,
            text);
    }

    [Fact]
    public void Write_LongList_GoesToBlockStyle()
    {
        var node = new Node("lb1", Enumerable.Range(1, 12).Select(i => IPAddress.Parse($"10.0.0.{i}")).ToValueList(), []);

        var text = TopologyYamlWriter.Write(Topology.Model.Topology.Empty with { Nodes = [node] });

        Assert.StartsWith("nodes:\n  - name: lb1\n    addresses:\n      - 10.0.0.1\n      - 10.0.0.2\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_FirewallMarkService_WritesMarkAndFamilyOnly()
    {
        var service = Samples.Seed.Services[0] with
        {
            Address = null,
            Port = null,
            FirewallMark = 7,
            Family = AddressFamily.InterNetworkV6,
            Scheduler = TopologyDefaults.Scheduler,
            Forwarding = Forwarding.Nat,
            Persistence = null,
            VrrpInstance = null,
            HealthCheck = new HealthCheck(HealthCheckKind.Http, TopologyDefaults.HealthCheckInterval, TopologyDefaults.ConnectTimeout, 1, TimeSpan.FromSeconds(3), 1, 1, TimeSpan.Zero, null, null, TopologyDefaults.Http, null, null),
            RealServers = [],
        };

        var text = TopologyYamlWriter.Write(Topology.Model.Topology.Empty with { Services = [service] });

        Assert.Equal("services:\n  - name: web\n    firewallMark: 7\n    family: ipv6\n    healthCheck:\n      type: http\n", text);
    }

    [Fact]
    public void Write_ServiceAndRealServerNotify_WritesWhatIsSet_AndLoadsBackEqual()
    {
        var service = Samples.Seed.Services[0] with
        {
            Notify = new ServiceNotify("/usr/local/bin/quorum up", null, AtShutdown: true),
            RealServers = [Samples.Seed.Services[0].RealServers[0] with { Notify = new RealServerNotify(null, "/usr/local/bin/rs-down") }],
        };
        var topology = Samples.Seed with { Services = [service] };

        var text = TopologyYamlWriter.Write(topology);

        Assert.Contains("    notify: {quorumUp: \"/usr/local/bin/quorum up\", atShutdown: true}\n", text, StringComparison.Ordinal);
        Assert.Contains("        notify: {down: /usr/local/bin/rs-down}\n", text, StringComparison.Ordinal);
        var loaded = TopologyLoader.LoadDocuments([new TopologyDocument("t.yaml", text)]);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Diagnostics));
        Assert.Equal(topology, loaded.Topology);
    }

    [Fact]
    public void Write_AlphaCheck_WritesAlpha_AndLoadsBackEqual()
    {
        var topology = Samples.Seed with { Services = [Samples.Seed.Services[0] with { HealthCheck = Samples.Seed.Services[0].HealthCheck! with { Alpha = true } }] };

        var text = TopologyYamlWriter.Write(topology);

        Assert.Contains("\n      alpha: true\n", text, StringComparison.Ordinal);
        var loaded = TopologyLoader.LoadDocuments([new TopologyDocument("t.yaml", text)]);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Diagnostics));
        Assert.Equal(topology, loaded.Topology);
    }

    [Fact]
    public void Write_DnsCheckAtKeepalivedsDefaults_LeavesRetryTimingOut()
    {
        var check = Check(HealthCheckKind.Dns, TimeSpan.FromSeconds(7)) with { Retries = 3, DelayBeforeRetry = TimeSpan.FromSeconds(7) };

        Assert.Equal("    healthCheck:\n      type: dns\n      interval: 7s\n", HealthCheckText(check));
    }

    [Fact]
    public void Write_DnsCheckWithTcpTiming_WritesIt()
    {
        var check = Check(HealthCheckKind.Dns, TimeSpan.FromSeconds(7));

        Assert.Equal("    healthCheck:\n      type: dns\n      interval: 7s\n      retries: 1\n      delayBeforeRetry: 1s\n", HealthCheckText(check));
    }

    [Fact]
    public void Write_CheckerSettings_WritesWhatDiffersFromKeepalived()
    {
        var udp = Check(HealthCheckKind.Udp) with { Udp = new UdpCheck("ab 12 0f", true, "ab xx", 0, 255) };
        var dns = Check(HealthCheckKind.Dns) with { Retries = 3, DelayBeforeRetry = TopologyDefaults.HealthCheckInterval, Dns = new DnsCheck("A", ".") };
        var smtp = Check(HealthCheckKind.Smtp) with { Smtp = new SmtpCheck("lb1.example.com") };

        Assert.Equal("    healthCheck:\n      type: udp\n      udp: {payload: \"ab 12 0f\", requireReply: true, replyPattern: \"ab xx\"}\n", HealthCheckText(udp));
        Assert.Equal("    healthCheck:\n      type: dns\n      dns: {type: A}\n", HealthCheckText(dns));
        Assert.Equal("    healthCheck:\n      type: smtp\n      smtp: {heloName: lb1.example.com}\n", HealthCheckText(smtp));
    }

    [Fact]
    public void Write_CheckerSettingsAllAtDefaults_WritesAnEmptyMapping()
    {
        // null and keepalived's defaults spelled out are different values; each loads back as itself.
        Assert.Equal("    healthCheck:\n      type: udp\n      udp: {}\n", HealthCheckText(Check(HealthCheckKind.Udp) with { Udp = UdpCheck.Default }));
        Assert.Equal("    healthCheck:\n      type: udp\n", HealthCheckText(Check(HealthCheckKind.Udp)));
    }

    [Fact]
    public void Write_Checkers_LoadBackAsThemselves()
    {
        HealthCheck[] checks =
        [
            Check(HealthCheckKind.Udp),
            Check(HealthCheckKind.Udp) with { Udp = UdpCheck.Default },
            Check(HealthCheckKind.Udp) with { Udp = new UdpCheck("Ab12f 3 456", true, "ab XX 0x", 4, 65527) },
            Check(HealthCheckKind.Udp) with { Udp = new UdpCheck(null, true, null, 0, 0), Port = 161 },
            Check(HealthCheckKind.Ping) with { BindAddress = IPAddress.Parse("192.168.1.1") },
            Check(HealthCheckKind.Dns) with { Retries = 3, DelayBeforeRetry = TopologyDefaults.HealthCheckInterval },
            Check(HealthCheckKind.Dns, TimeSpan.FromSeconds(3)) with { Dns = DnsCheck.Default },
            Check(HealthCheckKind.Dns) with { Dns = new DnsCheck("dnskey", "example.com.") },
            Check(HealthCheckKind.Smtp) with { Smtp = new SmtpCheck(TopologyDefaults.SmtpHeloName) },
            Check(HealthCheckKind.Smtp) with { Smtp = new SmtpCheck("[192.168.1.104]"), Port = 25 },
        ];
        var topology = Topology.Model.Topology.Empty with
        {
            Services = checks.Select((c, i) => Samples.Seed.Services[0] with { Name = $"s{i}", Address = IPAddress.Parse($"192.168.2.{i + 1}"), VrrpInstance = null, HealthCheck = c }).ToValueList(),
        };
        var text = TopologyYamlWriter.Write(topology);

        var result = Loading.LoaderHelpers.Load(text);

        Assert.True(result.IsValid, text + string.Join("\n", result.Diagnostics));
        Assert.All(result.Diagnostics, d => Assert.Equal("service-address-not-virtual", d.Code));
        Assert.Equal(topology, result.Topology);
        Assert.Equal(text, TopologyYamlWriter.Write(result.Topology!));
    }

    /// <summary>A check at the topology's defaults for a tcp check (retry 1 after 1s).</summary>
    [Fact]
    public void Write_HttpWithMoreUrls_WritesEachUrl_HostOnlyWhereItIsNotTheChecks()
    {
        var http = new HttpCheck("/", TopologyDefaults.HttpExpectedStatus, null, "www.example", true)
        {
            MoreUrls = [new HttpUrl("/health", [200, 204], "d41d8cd98f00b204e9800998ecf8427e", "www.example"), new HttpUrl("/api", TopologyDefaults.HttpExpectedStatus, null, "api.example")],
        };
        var check = Check(HealthCheckKind.Http) with { Http = http, DelayBeforeRetry = TimeSpan.FromSeconds(3) };

        Assert.Equal(
            """
                healthCheck:
                  type: http
                  http:
                    host: www.example
                    moreUrls:
                      - path: /health
                        expectedStatus: [200, 204]
                        bodyDigest: d41d8cd98f00b204e9800998ecf8427e
                      - {path: /api, host: api.example}

            """,
            HealthCheckText(check));
    }

    private static HealthCheck Check(HealthCheckKind kind, TimeSpan? interval = null) => new(
        kind, interval ?? TopologyDefaults.HealthCheckInterval, TopologyDefaults.ConnectTimeout, 1, TimeSpan.FromSeconds(1), 1, 1, TimeSpan.Zero, null, null, null, null, null);

    /// <summary>The <c>healthCheck</c> lines the writer makes of <paramref name="check"/> on a service.</summary>
    private static string HealthCheckText(HealthCheck check)
    {
        var service = Samples.Seed.Services[0] with { VrrpInstance = null, HealthCheck = check, RealServers = [] };
        var text = TopologyYamlWriter.Write(Topology.Model.Topology.Empty with { Services = [service] });
        return text[text.IndexOf("    healthCheck:", StringComparison.Ordinal)..];
    }
}
