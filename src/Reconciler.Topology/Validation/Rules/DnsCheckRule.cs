using Reconciler.Topology.Loading;
using Reconciler.Topology.Model;

namespace Reconciler.Topology.Validation.Rules;

/// <summary>
/// A dns check's query (<see cref="DnsCheck"/>) can be asked: its type is one keepalived knows (in any case, as
/// keepalived compares) and its name makes a question (<see cref="DnsQuery.NameError"/>), so the probe never
/// refuses it at run time.
/// </summary>
public sealed class DnsCheckRule : ITopologyRule
{
    public string Code => "dns-check";

    public void Check(ValidationContext context)
    {
        foreach (var (check, pointer) in HealthChecks.Of(context.Topology))
        {
            if (check.Kind != HealthCheckKind.Dns || check.Dns is not { } dns)
            {
                continue;
            }

            var dnsPointer = JsonPointer.Append(pointer, "dns");
            if (!DnsQuery.TryGetType(dns.Type, out _))
            {
                context.Error(Code, JsonPointer.Append(dnsPointer, "type"),
                    $"'{dns.Type}' is not a query type DNS_CHECK knows ({string.Join(", ", DnsQuery.Types.Select(t => t.Key))})");
            }

            if (DnsQuery.NameError(dns.Name) is { } error)
            {
                context.Error(Code, JsonPointer.Append(dnsPointer, "name"), error);
            }
        }
    }
}
