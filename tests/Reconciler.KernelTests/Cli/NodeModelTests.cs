using System.Text.RegularExpressions;
using Reconciler.KernelTests.Infrastructure;

namespace Reconciler.KernelTests.Cli;

/// <summary>
/// The one node model through the real executable and the real kernel, on a director that is also an LVS-DR real
/// server of its VIP (the seed's are): the VIP on lo and the ARP parameters are steps of the same plan as IPVS, the
/// kernel is read once before planning and once after applying, and a step the kernel refuses fails alone while
/// every other step applies and the next apply converges.
/// </summary>
public sealed partial class NodeModelTests : IDisposable
{
    private const string ArpIgnore = "/proc/sys/net/ipv4/conf/all/arp_ignore";

    // lb1 (10.0.0.3) is one of the real servers of its own DR service: it must hold the VIP on lo.
    private const string Topology = """
        nodes:
          - name: lb1
            addresses: [10.0.0.3]
        services:
          - name: web
            address: 10.0.0.120
            port: 80
            scheduler: wrr
            forwarding: dr
            realServers:
              - {address: 10.0.0.3, port: 80, weight: 1}
              - {address: 10.0.0.4, port: 80, weight: 5}
        """;

    private readonly LabNamespace _space = LabNamespace.Create();
    private readonly ReconcilerBinary _reconciler;
    private readonly string _topology;

    public NodeModelTests()
    {
        _reconciler = new ReconcilerBinary(_space);
        _topology = Path.Combine(_reconciler.StateDirectory, "topology.yaml");
        File.WriteAllText(_topology, Topology);
    }

    public void Dispose()
    {
        _reconciler.Dispose();
        _space.Dispose();
    }

    private string[] Args(string verb) => [verb, "-f", _topology, "--node", "lb1", "--state-dir", _reconciler.StateDirectory, "--endpoint", "none"];

    private string InSpace(params string[] command) => Lab.Run("ip", ["netns", "exec", _space.Name, .. command]).Check(string.Join(' ', command));

    [Fact]
    public void Apply_DirectRoutingRealServer_OnePlanForIpvsTheVipOnLoAndTheArpParameters_KernelReadOnce()
    {
        Lab.RequireIpvsKernel();
        var trace = Path.Combine(_reconciler.StateDirectory, "apply.strace");

        var apply = _reconciler.RunTraced(trace, Args("apply"));

        apply.Check("apply");
        Assert.Contains("sysctl net.ipv4.conf.all.arp_ignore: done", apply.Output, StringComparison.Ordinal);
        Assert.Contains("+ address 10.0.0.120/32 on lo: done", apply.Output, StringComparison.Ordinal);
        Assert.Equal("1", InSpace("cat", ArpIgnore).Trim());
        Assert.Equal("2", InSpace("cat", "/proc/sys/net/ipv4/conf/all/arp_announce").Trim());
        Assert.Contains("inet 10.0.0.120/32", InSpace("ip", "-4", "addr", "show", "dev", "lo"), StringComparison.Ordinal);
        Assert.Contains("-a -t 10.0.0.120:80 -r 10.0.0.4:80 -g -w 5", _space.Save(), StringComparison.Ordinal);

        // One read of the node, before planning (the IPVS table, the addresses): one IPVS service dump and one address
        // dump. Nothing is read after applying: only the agent keeps that read, for its next drift check.
        var log = File.ReadAllText(trace);
        Assert.Single(ServiceDumps().Matches(log));
        Assert.Single(AddressDumps().Matches(log));

        // The plan of what was just applied: nothing, on the first try (the dry run is the apply's own function).
        var plan = _reconciler.Run([.. Args("plan"), "--detailed-exitcode"]);
        Assert.True(plan.ExitCode == 0, $"plan after apply exited {plan.ExitCode}:\n{plan.Output}\n{plan.Error}");
    }

    [Fact]
    public void Apply_KernelRefusesOneStep_EveryOtherStepAppliesAndTheNextApplyConverges()
    {
        Lab.RequireIpvsKernel();

        // arp_ignore read-only in this process's mount namespace: the kernel refuses that one write (EROFS), at the edge.
        var refused = Lab.Run("ip", ["netns", "exec", _space.Name, "unshare", "-m", "sh", "-c",
            $"mount --bind -o ro {ArpIgnore} {ArpIgnore} && exec \"$0\" \"$@\"", ReconcilerBinary.Path, .. Args("apply")]);

        Assert.Equal(1, refused.ExitCode);
        Assert.Matches(@"sysctl net\.ipv4\.conf\.all\.arp_ignore: FAILED: set sysctl net\.ipv4\.conf\.all\.arp_ignore to 1: .*[Rr]ead-only", refused.Output);
        Assert.Contains("Apply complete: 5 of 6 operations done", refused.Output, StringComparison.Ordinal);
        Assert.Equal("0", InSpace("cat", ArpIgnore).Trim());
        Assert.Equal("2", InSpace("cat", "/proc/sys/net/ipv4/conf/all/arp_announce").Trim());
        Assert.Contains("inet 10.0.0.120/32", InSpace("ip", "-4", "addr", "show", "dev", "lo"), StringComparison.Ordinal);
        Assert.Contains("-a -t 10.0.0.120:80 -r 10.0.0.4:80 -g -w 5", _space.Save(), StringComparison.Ordinal);

        var retry = _reconciler.Run(Args("apply"));

        retry.Check("apply after the cause is gone");
        Assert.Contains("~ sysctl net.ipv4.conf.all.arp_ignore: done", retry.Output, StringComparison.Ordinal);
        Assert.Contains("Apply complete: 1 of 1 operations done", retry.Output, StringComparison.Ordinal);
        Assert.Equal("1", InSpace("cat", ArpIgnore).Trim());
        Assert.Equal(0, _reconciler.Run([.. Args("plan"), "--detailed-exitcode"]).ExitCode);
    }

    // strace decodes netlink by the socket's protocol, which it cannot look up inside a network namespace: there a
    // dump request prints as "nlmsg_type=0x16 /* NLMSG_??? */, nlmsg_flags=NLM_F_REQUEST|0x300". Both spellings count.
    // An IPVS service dump is a generic netlink dump whose payload starts with IPVS_CMD_GET_SERVICE (4).
    [GeneratedRegex(@"nlmsg_flags=NLM_F_REQUEST\|(?:NLM_F_DUMP|0x300), [^}]*\}, ""\\x04\\x01")]
    private static partial Regex ServiceDumps();

    // RTM_GETADDR is 22 (0x16).
    [GeneratedRegex(@"nlmsg_type=(?:RTM_GETADDR|0x16 /\* NLMSG_\?\?\? \*/), nlmsg_flags=NLM_F_REQUEST\|(?:NLM_F_DUMP|0x300),")]
    private static partial Regex AddressDumps();
}
