using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Reconciler.Linux.Native;
using Reconciler.Linux.Route;
using Reconciler.Topology.Model;

namespace Reconciler.Linux.Vrrp;

/// <summary>
/// The vmacs (keepalived's <c>use_vmac</c>) of one node's VRRP instances: the VRRP service owns them. It creates each
/// (a macvlan, mode private, with the virtual MAC), takes over one it finds with the right base and MAC (left by an
/// agent that died), replaces a macvlan with the wrong ones, refuses any other interface of that name, sets
/// keepalived's sysctls and brings it up; it deletes it when the instance stops, as keepalived does.
/// IPv4 sysctls, as keepalived's vrrp_if_config.c: on the vmac <c>arp_ignore=1</c> (answer ARP only for its own
/// addresses, the VIPs), <c>accept_local=1</c>, <c>rp_filter=0</c> (receive adverts on an interface without an
/// address) and <c>promote_secondaries=1</c>; on the base <c>arp_ignore=1</c> and <c>arp_filter=1</c> (the base must
/// not answer for the VIPs with its own MAC) and, where keepalived leaves it alone, <c>arp_announce=2</c>: a reply from a
/// VIP routed out of the base (the base's subnet route comes first) makes the base ask for the peer's MAC, and with
/// the default 0 it names the VIP as sender, which teaches the peer the base's MAC for the VIP (seen in the lab); with 2
/// it names the base's own address. All three are put back as they were when the base's last vmac goes. An IPv4 instance
/// without IPv6 addresses has IPv6 off on its vmac; an IPv6 one gets no address generated from the virtual MAC
/// (RFC 5798 7.4) and the base's link-local address to send from.
/// </summary>
public sealed class VirtualMacLinks
{
    private readonly RtnetlinkClient _rtnetlink;
    private readonly string? _networkNamespacePath;
    private readonly string _procSys;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, BaseSettings> _bases = new(StringComparer.Ordinal);

    public VirtualMacLinks(RtnetlinkClient rtnetlink, ILogger logger, string? networkNamespacePath = null, string procSys = "/proc/sys")
    {
        _rtnetlink = rtnetlink;
        _logger = logger;
        _networkNamespacePath = networkNamespacePath;
        _procSys = procSys;
    }

    /// <summary>Creates (or takes over) the vmac of an instance on <paramref name="baseLink"/>, up, and returns it.</summary>
    /// <exception cref="InvalidOperationException">An interface of that name exists and is not a macvlan.</exception>
    public LinkInfo Ensure(VirtualMac vmac, LinkInfo baseLink, AddressFamily family, int virtualRouterId, bool ipv6Addresses)
    {
        ArgumentNullException.ThrowIfNull(vmac);
        ArgumentNullException.ThrowIfNull(baseLink);
        var mac = VirtualMac.HardwareAddress(family, virtualRouterId);
        lock (_lock)
        {
            var existing = _rtnetlink.GetLink(vmac.Name);
            if (existing is not null)
            {
                if (existing.Kind != LinkNetlink.KindMacvlan)
                {
                    throw new InvalidOperationException(
                        $"an interface {vmac.Name} exists and is not a macvlan ({existing.Kind ?? "a device"}); the agent creates and deletes the vmac itself and takes over no other interface");
                }

                if (existing.LowerIndex != baseLink.Index || !existing.HardwareAddress.AsSpan().SequenceEqual(mac))
                {
                    _logger.LogInformation("vmac {Vmac}: replacing a macvlan on another base or with another MAC ({Existing})", vmac.Name, existing);
                    _rtnetlink.DeleteLink(existing.Index);
                    existing = null;
                }
                else
                {
                    _logger.LogInformation("vmac {Vmac}: taking over the existing macvlan on {Base}", vmac.Name, baseLink.Name);
                }
            }

            if (existing is null && _rtnetlink.AddMacvlan(vmac.Name, baseLink.Index, mac))
            {
                _logger.LogInformation("vmac {Vmac}: created on {Base} with MAC {Mac}", vmac.Name, baseLink.Name, LinkInfo.FormatMac(mac));
            }

            var link = _rtnetlink.GetLink(vmac.Name) ?? throw new InvalidOperationException($"vmac {vmac.Name} is gone right after it was created");
            Configure(link.Name, baseLink.Name, family, ipv6Addresses);
            _rtnetlink.SetLinkUp(link.Index);
            return _rtnetlink.GetLink(vmac.Name) ?? link;
        }
    }

    /// <summary>Deletes an instance's vmac (when it is a macvlan: never another interface) and, with the base's last
    /// vmac, puts the base's ARP sysctls back. Returns whether a link was deleted.</summary>
    public bool Remove(VirtualMac vmac, string baseName, AddressFamily family)
    {
        ArgumentNullException.ThrowIfNull(vmac);
        lock (_lock)
        {
            if (family == AddressFamily.InterNetwork)
            {
                ReleaseBase(baseName);
            }

            if (_rtnetlink.GetLink(vmac.Name) is not { Kind: LinkNetlink.KindMacvlan } link)
            {
                return false;
            }

            var deleted = _rtnetlink.DeleteLink(link.Index);
            _logger.LogInformation("vmac {Vmac}: deleted", vmac.Name);
            return deleted;
        }
    }

    private void Configure(string vmac, string baseName, AddressFamily family, bool ipv6Addresses)
    {
        if (family == AddressFamily.InterNetwork)
        {
            WriteSysctl($"net/ipv4/conf/{vmac}/arp_ignore", "1");
            WriteSysctl($"net/ipv4/conf/{vmac}/accept_local", "1");
            WriteSysctl($"net/ipv4/conf/{vmac}/rp_filter", "0");
            WriteSysctl($"net/ipv4/conf/{vmac}/promote_secondaries", "1");
            if (ReadSysctl("net/ipv4/conf/all/rp_filter") == "1")
            {
                _logger.LogWarning("vmac {Vmac}: net.ipv4.conf.all.rp_filter is 1 (strict), which overrides the vmac's 0: adverts received on it are dropped", vmac);
            }

            HoldBase(baseName);
            if (!ipv6Addresses)
            {
                WriteSysctl($"net/ipv6/conf/{vmac}/disable_ipv6", "1", optional: true);
            }
        }
        else
        {
            // No link-local address from the virtual MAC: every node would have the same one (RFC 5798 7.4).
            WriteSysctl($"net/ipv6/conf/{vmac}/addr_gen_mode", "1", optional: true);
        }
    }

    private void HoldBase(string baseName)
    {
        if (_bases.TryGetValue(baseName, out var held))
        {
            _bases[baseName] = held with { Users = held.Users + 1 };
            return;
        }

        var saved = BaseSysctls.ToDictionary(name => name, name => ReadSysctl($"net/ipv4/conf/{baseName}/{name}"), StringComparer.Ordinal);
        WriteSysctl($"net/ipv4/conf/{baseName}/arp_ignore", "1");
        WriteSysctl($"net/ipv4/conf/{baseName}/arp_filter", "1");
        WriteSysctl($"net/ipv4/conf/{baseName}/arp_announce", "2");
        _bases[baseName] = new BaseSettings(1, saved);
    }

    private void ReleaseBase(string baseName)
    {
        if (!_bases.TryGetValue(baseName, out var held))
        {
            return;
        }

        if (held.Users > 1)
        {
            _bases[baseName] = held with { Users = held.Users - 1 };
            return;
        }

        _bases.Remove(baseName);
        try
        {
            foreach (var (name, value) in held.Saved)
            {
                if (value is not null)
                {
                    WriteSysctl($"net/ipv4/conf/{baseName}/{name}", value);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning("vmac: putting back the ARP sysctls of {Base} failed: {Error}", baseName, e.Message);
        }
    }

    /// <summary>Paths with '/' (an interface name may hold a dot, <c>vrrp.51</c>), in the instance's namespace.</summary>
    private void WriteSysctl(string path, string value, bool optional = false)
    {
        var full = Path.Combine(_procSys, path);
        InNamespace(() =>
        {
            if (optional && !File.Exists(full))
            {
                return 0;
            }

            File.WriteAllText(full, value + "\n");
            return 0;
        });
    }

    private string? ReadSysctl(string path)
    {
        var full = Path.Combine(_procSys, path);
        return InNamespace(() => File.Exists(full) ? File.ReadAllText(full).Trim() : null);
    }

    private T InNamespace<T>(Func<T> action) =>
        _networkNamespacePath is null ? action() : LinuxNative.InNetworkNamespace(_networkNamespacePath, action);

    private static readonly string[] BaseSysctls = ["arp_ignore", "arp_filter", "arp_announce"];

    private sealed record BaseSettings(int Users, Dictionary<string, string?> Saved);
}
