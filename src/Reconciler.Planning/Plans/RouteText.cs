using System.Globalization;
using System.Text;
using Reconciler.Topology.Model;

namespace Reconciler.Planning.Plans;

/// <summary>Routes and rules as <c>ip route</c> and <c>ip rule</c> write them (<c>10.1.0.0/16 via 10.0.0.254 dev eth0
/// table 100</c>), for plans, logs and the status page.</summary>
public static class RouteText
{
    public static string Format(IpRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        var text = new StringBuilder();
        if (route.Type != RouteType.Unicast)
        {
            text.Append(route.Type.ToString().ToLowerInvariant()).Append(' ');
        }

        text.Append(route.Destination.PrefixLength == 0 ? "default" : route.Destination.ToString());
        Append(text, "via", route.Via);
        Append(text, "dev", route.Interface);
        Append(text, "src", route.Source);
        if (route.Table is { } table && table != IpRoute.MainTable)
        {
            Append(text, "table", table);
        }

        Append(text, "metric", route.Metric);
        if (route.Scope is { } scope)
        {
            Append(text, "scope", scope.ToString().ToLowerInvariant());
        }

        if (route.OnLink)
        {
            text.Append(" onlink");
        }

        return text.ToString();
    }

    public static string Format(IpRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var text = new StringBuilder();
        if (rule.Priority is { } priority)
        {
            text.Append(CultureInfo.InvariantCulture, $"{priority}: ");
        }

        text.Append("from ").Append(rule.From?.ToString() ?? "all");
        Append(text, "to", rule.To);
        if (rule.FirewallMark is { } mark)
        {
            text.Append(CultureInfo.InvariantCulture, $" fwmark 0x{mark:x}");
            if (rule.FirewallMask is { } mask)
            {
                text.Append(CultureInfo.InvariantCulture, $"/0x{mask:x}");
            }
        }

        Append(text, "iif", rule.InputInterface);
        Append(text, "oif", rule.OutputInterface);
        text.Append(rule.Action switch
        {
            RuleAction.Table => $" lookup {(rule.Table ?? IpRoute.MainTable) switch { IpRoute.MainTable => "main", var t => t.ToString(CultureInfo.InvariantCulture) }}",
            RuleAction.Goto => $" goto {rule.GotoPriority}",
            RuleAction.Nop => " nop",
            _ => " " + rule.Action.ToString().ToLowerInvariant(),
        });
        return text.ToString();
    }

    private static void Append(StringBuilder text, string keyword, object? value)
    {
        if (value is not null)
        {
            text.Append(' ').Append(keyword).Append(' ').Append(Convert.ToString(value, CultureInfo.InvariantCulture));
        }
    }
}
