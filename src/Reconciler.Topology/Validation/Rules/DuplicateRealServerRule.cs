namespace Reconciler.Topology.Validation.Rules;

/// <summary>A real server (address and port) appears once in a service: IPVS keys destinations by it.</summary>
public sealed class DuplicateRealServerRule : ITopologyRule
{
    public string Code => "duplicate-real-server";

    public void Check(ValidationContext context)
    {
        var services = context.Topology.Services;
        for (var s = 0; s < services.Count; s++)
        {
            var first = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var r = 0; r < services[s].RealServers.Count; r++)
            {
                var endpoint = services[s].RealServers[r].Endpoint;
                if (!first.TryAdd(endpoint, r))
                {
                    context.Error(Code, Pointers.RealServer(s, r, "address"),
                        $"real server {endpoint} is already in service '{services[s].Name}'{context.FirstAt(Pointers.RealServer(s, first[endpoint]))}");
                }
            }
        }
    }
}
