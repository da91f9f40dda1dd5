using System.Globalization;
using Reconciler.KernelTests.Infrastructure;

namespace Reconciler.KernelTests.Vrrp;

/// <summary>
/// One Ethernet segment for a VRRP test: a namespace holding a bridge, and node namespaces each with an
/// <c>eth0</c> (veth) on it: node N has 10.77.0.N/24 and 2001:db8:77::N/64. The client namespace is just another
/// node. Everything is removed on dispose (namespaces deleted, which takes their links along).
/// </summary>
public sealed class VrrpLan : IDisposable
{
    private readonly string _prefix = "rv" + Guid.NewGuid().ToString("N")[..6];
    private readonly List<string> _namespaces = [];

    public VrrpLan()
    {
        Lab.RequireIpvsKernel();
        Bridge = _prefix + "br";
        Add(Bridge);
        Lab.RunWithInput(
            """
            link set lo up
            link add br0 type bridge forward_delay 0 stp_state 0 mcast_snooping 0
            link set br0 up

            """,
            "ip", "-n", Bridge, "-batch", "-").Check("bridge setup");
    }

    /// <summary>
    /// How long a VRRP process may take to start and settle. A .NET process starts in seconds in a quiet guest, but took
    /// 60 to 90 s (and once more) when the shared build host was loaded (load average 14 to 18 on two CPUs), so this
    /// bounds process start, never protocol timing.
    /// </summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(180);

    public string Bridge { get; }

    /// <summary>Creates node <paramref name="number"/> (1..254) and returns its namespace name.</summary>
    public string AddNode(int number)
    {
        string name = NodeName(number);
        Add(name);
        string n = number.ToString(CultureInfo.InvariantCulture);
        Lab.RunWithInput(
            $"""
            link add p{n} type veth peer name eth0 netns {name}
            link set p{n} master br0
            link set p{n} up

            """,
            "ip", "-n", Bridge, "-batch", "-").Check("veth setup");
        Lab.RunWithInput(
            $"""
            link set lo up
            link set eth0 address 02:00:00:77:00:{number:x2}
            addr add 10.77.0.{n}/24 dev eth0
            addr add 2001:db8:77::{number:x}/64 dev eth0 nodad
            link set eth0 up

            """,
            "ip", "-n", name, "-batch", "-").Check("node setup");
        return name;
    }

    public string NodeName(int number) => _prefix + "n" + number.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Partitions node <paramref name="number"/> off the segment (bridge port state disabled: nothing forwarded either
    /// way) or heals it (forwarding). The node's link stays up, so this is a partition, not a link failure (setting
    /// the port down would take the node's carrier away and put VRRP into FAULT instead).
    /// </summary>
    public void SetPort(int number, bool up) =>
        Lab.Run("bridge", "-n", Bridge, "link", "set", "dev", "p" + number.ToString(CultureInfo.InvariantCulture), "state", up ? "3" : "0").Check("bridge port state");

    public static string Ip(string space, params string[] arguments) => Lab.Run("ip", ["-n", space, .. arguments]).Check("ip " + string.Join(' ', arguments));

    public static bool HasAddress(string space, string address) => Ip(space, "-o", "addr", "show", "dev", "eth0").Contains(" " + address + "/", StringComparison.Ordinal);

    public void Dispose()
    {
        foreach (var name in Enumerable.Reverse(_namespaces))
        {
            Lab.Run("ip", "netns", "del", name);
        }
    }

    private void Add(string name)
    {
        Lab.Run("ip", "netns", "add", name).Check("ip netns add " + name);
        _namespaces.Add(name);
    }
}
