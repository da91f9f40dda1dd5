using System.Net.Sockets;

namespace Reconciler.Topology.Validation.Rules;

/// <summary>The persistence prefix length fits the service's family: at most 32 for IPv4, 128 for IPv6.</summary>
public sealed class PersistencePrefixRule : ITopologyRule
{
    public string Code => "persistence-prefix";

    public void Check(ValidationContext context)
    {
        var services = context.Topology.Services;
        for (var s = 0; s < services.Count; s++)
        {
            var service = services[s];
            if (service.Persistence?.PrefixLength is not { } prefix)
            {
                continue;
            }

            var family = service.Address?.AddressFamily ?? service.Family;
            var max = family == AddressFamily.InterNetworkV6 ? 128 : 32;
            if (prefix < 0 || prefix > max)
            {
                context.Error(Code, Loading.JsonPointer.Append(Pointers.Service(s, "persistence"), "prefixLength"),
                    $"prefix length {prefix} does not fit an {(max == 32 ? "IPv4" : "IPv6")} service (0..{max})");
            }
        }
    }
}
