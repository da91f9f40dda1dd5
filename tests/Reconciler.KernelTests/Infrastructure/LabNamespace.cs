using Reconciler.Ipvs;
using Reconciler.Linux.Ipvs;

namespace Reconciler.KernelTests.Infrastructure;

/// <summary>
/// A fresh network namespace for one test, with its own IPVS table: a dummy link holding 10.0.0.1/24 and
/// 2001:db8::1/64 and default routes, since IPVS refuses a real server whose address has no route ("address not
/// unicast": with no address at all the namespace has no routing table to find one in). Removed on dispose.
/// </summary>
public sealed class LabNamespace : IDisposable
{
    private LabNamespace(string name)
    {
        Name = name;
    }

    public string Name { get; }

    /// <summary>/run/netns/NAME, for <see cref="IpvsNetlinkClient.Open"/>.</summary>
    public string Path => "/run/netns/" + Name;

    /// <summary>With <paramref name="configured"/> false the namespace is left bare: no link up, no address, no route.</summary>
    public static LabNamespace Create(bool configured = true)
    {
        Lab.RequireIpvsKernel();
        var space = new LabNamespace("rk" + Guid.NewGuid().ToString("N")[..10]);
        Lab.Run("ip", "netns", "add", space.Name).Check("ip netns add");
        if (!configured)
        {
            return space;
        }

        try
        {
            // One ip process for the whole setup: process starts are slow under emulation.
            Lab.RunWithInput(
                """
                link set lo up
                link add d0 type dummy
                link set d0 up
                addr add 10.0.0.1/24 dev d0
                addr add 2001:db8::1/64 dev d0 nodad
                route add default dev d0
                route add ::/0 dev d0

                """,
                "ip", "-n", space.Name, "-batch", "-").Check("ip -batch (namespace setup)");
            return space;
        }
        catch
        {
            space.Dispose();
            throw;
        }
    }

    public IpvsNetlinkClient OpenClient(TimeSpan? timeout = null) => IpvsNetlinkClient.Open(Path, timeout);

    public string Ip(params string[] arguments) => Lab.Run("ip", ["-n", Name, .. arguments]).Check("ip " + string.Join(' ', arguments));

    /// <summary>ipvsadm in this namespace; the result, failures included.</summary>
    public ProcessResult Ipvsadm(params string[] arguments) => Lab.Run("ip", ["netns", "exec", Name, "ipvsadm", .. arguments]);

    /// <summary>ipvsadm in this namespace; its output, or an exception when it fails.</summary>
    public string IpvsadmOk(params string[] arguments) => Ipvsadm(arguments).Check("ipvsadm " + string.Join(' ', arguments));

    /// <summary>ipvsadm -Sn, as one consistent picture (see <see cref="List"/>).</summary>
    public string Save() => List("-Sn");

    /// <summary>
    /// An ipvsadm listing, read until two in a row agree. The kernel's service dump resumes each part at a position
    /// counted over every namespace's services, so while other tests change theirs, one listing can repeat or skip
    /// one of ours; ipvsadm cannot tell. Our client reads the same way (IpvsNetlinkClient.GetServices).
    /// </summary>
    public string List(params string[] arguments)
    {
        string previous = IpvsadmOk(arguments);
        for (int attempt = 1; attempt < 10; attempt++)
        {
            string current = IpvsadmOk(arguments);
            if (current == previous)
            {
                return current;
            }

            previous = current;
        }

        throw new InvalidOperationException($"ipvsadm {string.Join(' ', arguments)} in {Name} gave a different listing each of 10 times");
    }

    /// <summary>ipvsadm -R, the rules on standard input: many ipvsadm commands for the price of one process.</summary>
    public void Restore(IEnumerable<string[]> commands) => Restore(string.Concat(commands.Select(c => string.Join(' ', c) + "\n")));

    public void Restore(string rules) =>
        Lab.RunWithInput(rules, "ip", "netns", "exec", Name, "ipvsadm", "-R").Check("ipvsadm -R");

    public void Dispose() => Lab.Run("ip", "netns", "del", Name);
}
