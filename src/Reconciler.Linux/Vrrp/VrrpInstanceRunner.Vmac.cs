using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Reconciler.Linux.Route;
using Reconciler.Topology.Model;
using Reconciler.Vrrp;

namespace Reconciler.Linux.Vrrp;

/// <summary>The instance's vmac (keepalived's <c>use_vmac</c>): made at start, watched by the link poll, deleted at the end.</summary>
public sealed partial class VrrpInstanceRunner
{
    private readonly VirtualMacLinks _vmacs;
    private bool _vmacUp;
    private int _vmacIndex;
    private bool _vmacGoneLogged;

    /// <summary>
    /// keepalived's <c>use_vmac</c>: the instance's macvlan, created (or taken over) and up, where the virtual
    /// addresses go, adverts are received (the kernel hands a frame from the virtual MAC to the local macvlan of that
    /// MAC, not to the base) and, unless <c>vmac_xmit_base</c>, sent from. An IPv6 instance sends from the base's
    /// link-local address, put on the vmac too, as keepalived does. Without a vmac: the instance's interface.
    /// </summary>
    private LinkInfo StartVmac(VrrpRouterConfig config, LinkInfo link)
    {
        if (config.Vmac is not { } vmac)
        {
            return link;
        }

        var ipv6 = config.VirtualAddresses.Any(v => v.Family == AddressFamily.InterNetworkV6);
        var created = _vmacs.Ensure(vmac, link, config.Family, config.VirtualRouterId, ipv6);
        _vmacUp = true;
        _vmacIndex = created.Index;
        if (config.Family == AddressFamily.InterNetworkV6 && config.PrimaryAddress.IsIPv6LinkLocal)
        {
            _rtnetlink.AddAddress(created.Index, new InterfaceAddress(config.PrimaryAddress, 64));
        }

        return created;
    }

    /// <summary>Deletes the vmac once the sockets are closed and the VIPs gone (keepalived deletes it on stop too).</summary>
    private void StopVmac()
    {
        if (!_vmacUp || Config.Vmac is not { } vmac)
        {
            return;
        }

        _vmacUp = false;
        try
        {
            _vmacs.Remove(vmac, Config.Interface, Config.Family);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _logger.LogWarning("VRRP {Instance}: deleting vmac {Vmac} failed: {Error}", Config.InstanceName, vmac.Name, e.Message);
        }
    }

    /// <summary>
    /// The instance's vmac, while its base is up: set down by someone, it is set up again at once (the instance goes
    /// on); deleted (or replaced: another index), the instance's interface counts as down, so it goes to FAULT and a
    /// peer takes over, until the agent starts the instance again (a restart or a new topology recreates the vmac).
    /// </summary>
    private bool VmacUsable(Dictionary<string, LinkInfo> links, VirtualMac vmac)
    {
        if (!links.TryGetValue(vmac.Name, out var link) || link.Index != _vmacIndex)
        {
            if (!_vmacGoneLogged)
            {
                _vmacGoneLogged = true;
                _logger.LogError("VRRP {Instance}: vmac {Vmac} was deleted or replaced by someone else; the instance stays in FAULT until the agent starts it again", Config.InstanceName, vmac.Name);
            }

            return false;
        }

        if (!link.IsUp)
        {
            _logger.LogWarning("VRRP {Instance}: vmac {Vmac} was set down; setting it up again", Config.InstanceName, vmac.Name);
            _rtnetlink.SetLinkUp(link.Index);
        }

        return true;
    }
}
