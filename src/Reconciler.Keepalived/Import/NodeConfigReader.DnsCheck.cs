using Reconciler.Keepalived.Parsing;
using Reconciler.Topology.Model;

namespace Reconciler.Keepalived.Import;

internal sealed partial class NodeConfigReader
{
    /// <summary>The query types keepalived 2.2.7's DNS_CHECK knows (any case; its manual lists all but the last two).</summary>
    private static readonly string[] DnsTypes = ["A", "NS", "CNAME", "SOA", "MX", "TXT", "AAAA", "RRSIG", "DNSKEY"];

    /// <summary>DNS_CHECK's own keywords (<c>check_dns.c</c>).</summary>
    private bool ReadDnsOption(ConfigStatement s, string context, CheckerSettings settings)
    {
        switch (s.Name)
        {
            case "type":
                if (Word(s) is { } type)
                {
                    var name = type.Text.ToUpperInvariant();
                    if (DnsTypes.Contains(name))
                    {
                        settings.DnsType = name;
                    }
                    else
                    {
                        Error("invalid-value", $"'type' is one of {string.Join(", ", DnsTypes)}, not '{type.Text}' (keepalived reports it and ignores it)", type.Location);
                    }
                }

                return true;
            case "name":
                if (Word(s) is { } query)
                {
                    ReadDnsName(s, query, context, settings);
                }

                return true;
            default:
                return false;
        }
    }

    private void ReadDnsName(ConfigStatement s, Token query, string context, CheckerSettings settings)
    {
        var name = query.Text;
        if (settings.DnsName is not null)
        {
            Warning("unsupported-keyword", $"'name' in {context} is ignored (keepalived keeps the first name and reports this one)", s.Location);
        }
        else if (name.Length == 0 || (name.StartsWith('.') && name != ".") || name.Contains("..", StringComparison.Ordinal))
        {
            Error("invalid-value", $"DNS_CHECK name '{name}' has an empty label (keepalived reports it and ignores it)", query.Location);
        }
        else
        {
            if (name.Length > 1 && name[1] == '.')
            {
                // check_dns.c's empty-label test starts one character in, so it reads "a." as "..".
                Warning(
                    "invalid-value",
                    $"{context}: keepalived 2.2.7 rejects the name '{name}' (its empty-label test misreads a one-character first label) and queries '.'; the topology queries '{name}' as written",
                    query.Location);
            }

            settings.DnsName = name;
        }
    }

    /// <summary>The DNS_CHECK's query; null when it is keepalived's default (SOA of the root).</summary>
    private static DnsCheck? DnsSettings(CheckerSettings settings)
    {
        var dns = new DnsCheck(settings.DnsType ?? DnsCheck.Default.Type, settings.DnsName ?? DnsCheck.Default.Name);
        return dns == DnsCheck.Default ? null : dns;
    }
}
