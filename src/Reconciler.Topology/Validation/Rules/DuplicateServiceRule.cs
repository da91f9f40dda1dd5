namespace Reconciler.Topology.Validation.Rules;

/// <summary>Two services cannot have the same endpoint (protocol, address, port) or the same firewall mark and family.</summary>
public sealed class DuplicateServiceRule : ITopologyRule
{
    public string Code => "duplicate-service";

    public void Check(ValidationContext context)
    {
        var services = context.Topology.Services;
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < services.Count; i++)
        {
            var service = services[i];
            if (service.FirewallMark is null && (service.Address is null || service.Port is null))
            {
                continue;
            }

            var endpoint = service.Endpoint;
            if (!first.TryAdd(endpoint, i))
            {
                var property = service.IsFirewallMark ? "firewallMark" : "address";
                context.Error(Code, Pointers.Service(i, property),
                    $"service '{service.Name}' has the same endpoint {endpoint} as service '{services[first[endpoint]].Name}'{context.FirstAt(Pointers.Service(first[endpoint]))}");
            }
        }
    }
}
