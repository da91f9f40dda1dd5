using Reconciler.Topology.Model;

namespace Reconciler.Topology.Validation.Rules;

/// <summary>
/// With direct routing or tunnelling the packet reaches the real server unchanged, so the kernel cannot
/// change its port: the real server's port must be the service's (firewall-mark services have no port).
/// </summary>
public sealed class PortRemapRule : ITopologyRule
{
    public string Code => "port-remap";

    public void Check(ValidationContext context)
    {
        var services = context.Topology.Services;
        for (var s = 0; s < services.Count; s++)
        {
            var service = services[s];
            if (service.IsFirewallMark || service.Port is not { } port)
            {
                continue;
            }

            for (var r = 0; r < service.RealServers.Count; r++)
            {
                var server = service.RealServers[r];
                var forwarding = service.ForwardingOf(server);
                if (forwarding != Forwarding.Nat && server.Port != port)
                {
                    var name = forwarding == Forwarding.DirectRouting ? "dr" : "tunnel";
                    context.Error(Code, Pointers.RealServer(s, r, "port"),
                        $"real server {server.Endpoint} uses {name} forwarding, which cannot change the port: use port {port} like the service, or nat forwarding");
                }
            }
        }
    }
}
