using Reconciler.Topology.Model;

namespace Reconciler.Topology.Validation.Rules;

/// <summary>Tunnel settings go with tunnel forwarding; GUE needs a port, and only GUE has one.</summary>
public sealed class TunnelSettingsRule : ITopologyRule
{
    public string Code => "tunnel-settings";

    public void Check(ValidationContext context)
    {
        var services = context.Topology.Services;
        for (var s = 0; s < services.Count; s++)
        {
            var service = services[s];
            if (service.Tunnel is not { } tunnel)
            {
                continue;
            }

            var pointer = Pointers.Service(s, "tunnel");
            if (service.Forwarding != Forwarding.Tunnel && !service.RealServers.Any(r => r.Forwarding == Forwarding.Tunnel))
            {
                context.Error(Code, pointer, "tunnel settings need forwarding: tunnel (on the service or a real server)", atKey: true);
            }

            if (tunnel.Type == TunnelType.Gue && tunnel.Port is null)
            {
                context.Error(Code, pointer, "a gue tunnel needs a port");
            }
            else if (tunnel.Type != TunnelType.Gue && tunnel.Port is not null)
            {
                context.Error(Code, Loading.JsonPointer.Append(pointer, "port"), $"only gue tunnels have a port, not {tunnel.Type.ToString().ToLowerInvariant()}");
            }
        }
    }
}
