using System.Net;
using System.Net.Sockets;
using Reconciler.Topology.Model;

namespace Reconciler.Topology.Validation.Rules;

/// <summary>
/// Addresses that must share a family do: real servers with their service (except with tunnel forwarding,
/// which can carry one family in the other), a service's sorry server, a check's bind address with its real
/// server; an instance's virtual addresses among themselves and with its unicast peers; VRRPv2 is IPv4 only.
/// </summary>
public sealed class AddressFamilyRule : ITopologyRule
{
    public string Code => "address-family";

    public void Check(ValidationContext context)
    {
        CheckInstances(context);
        CheckServices(context);
    }

    private static string Name(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";

    private void CheckInstances(ValidationContext context)
    {
        var instances = context.Topology.VrrpInstances;
        for (var i = 0; i < instances.Count; i++)
        {
            var instance = instances[i];
            var family = VirtualRouterIdCollisionRule.FamilyOf(instance);
            var vips = Pointers.Instance(i, "virtualAddresses");
            for (var v = 0; v < instance.VirtualAddresses.Count; v++)
            {
                var vip = instance.VirtualAddresses[v];
                if (vip.Family != family)
                {
                    context.Error(Code, Pointers.Item(vips, v), $"{vip.Address} is {Name(vip.Family)} but the instance's first virtual address is {Name(family)}; use one instance per family");
                }
                else if (vip.Family == AddressFamily.InterNetworkV6 && instance.Version == 2)
                {
                    context.Error(Code, Pointers.Item(vips, v), $"{vip.Address} is IPv6, which VRRP version 2 cannot carry; set version: 3");
                }
            }

            var peers = Pointers.Instance(i, "unicastPeers");
            for (var p = 0; p < instance.UnicastPeers.Count; p++)
            {
                if (instance.UnicastPeers[p].AddressFamily != family)
                {
                    context.Error(Code, Pointers.Item(peers, p), $"unicast peer {instance.UnicastPeers[p]} is {Name(instance.UnicastPeers[p].AddressFamily)} but the instance's virtual addresses are {Name(family)}");
                }
            }
        }
    }

    private void CheckServices(ValidationContext context)
    {
        var services = context.Topology.Services;
        for (var s = 0; s < services.Count; s++)
        {
            var service = services[s];
            var family = service.Address?.AddressFamily ?? service.Family;
            if (service.Address is { } address && service.Family != address.AddressFamily)
            {
                context.Error(Code, Pointers.Service(s, "address"), $"the service's family is {Name(service.Family)} but its address {address} is {Name(address.AddressFamily)}");
            }

            for (var r = 0; r < service.RealServers.Count; r++)
            {
                var server = service.RealServers[r];
                if (server.Address.AddressFamily != family && service.ForwardingOf(server) != Forwarding.Tunnel)
                {
                    context.Error(Code, Pointers.RealServer(s, r, "address"),
                        $"real server {server.Address} is {Name(server.Address.AddressFamily)} but service '{service.Name}' is {Name(family)}; only tunnel forwarding can mix families");
                }

                CheckBind(context, service.HealthCheckOf(server), server.Address, server.HealthCheck is null ? Pointers.Service(s, "healthCheck") : Pointers.RealServer(s, r, "healthCheck"));
            }

            if (service.SorryServer is { } sorry && sorry.Address.AddressFamily != family && (sorry.Forwarding ?? service.Forwarding) != Forwarding.Tunnel)
            {
                context.Error(Code, Pointers.Service(s, "sorryServer"), $"sorry server {sorry.Address} is {Name(sorry.Address.AddressFamily)} but service '{service.Name}' is {Name(family)}");
            }
        }
    }

    private void CheckBind(ValidationContext context, HealthCheck? check, IPAddress server, string pointer)
    {
        if (check?.BindAddress is { } bind && bind.AddressFamily != server.AddressFamily)
        {
            context.Error(Code, Loading.JsonPointer.Append(pointer, "bindAddress"), $"bind address {bind} is {Name(bind.AddressFamily)} but real server {server} is {Name(server.AddressFamily)}");
        }
    }
}
