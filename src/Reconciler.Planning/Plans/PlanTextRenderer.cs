using System.Globalization;
using System.Text;
using Reconciler.Ipvs;

namespace Reconciler.Planning.Plans;

/// <summary>
/// A plan for people, in Terraform's manner: <c>+</c> create, <c>~</c> update (with <c>old -> new</c> per field),
/// <c>-</c> destroy, drift marked, unmanaged objects and draining real servers listed, and a summary line.
/// Colors only when asked (a terminal), never when piped.
/// </summary>
public static class PlanTextRenderer
{
    private const string Green = "\u001b[32m";
    private const string Yellow = "\u001b[33m";
    private const string Red = "\u001b[31m";
    private const string Bold = "\u001b[1m";
    private const string Reset = "\u001b[0m";

    /// <summary>The plan; with <paramref name="desired"/>, also the VRRP instances' virtual routes and rules, which
    /// their routers keep (never a step).</summary>
    public static string Render(Plan plan, bool color, Desired.DesiredState? desired = null)
    {
        var text = new StringBuilder();
        string Paint(string code, string value) => color ? code + value + Reset : value;

        if (plan.HasChanges)
        {
            text.Append(CultureInfo.InvariantCulture, $"Reconciler will perform the following actions on node {plan.Node}:\n\n");
            foreach (var step in plan.Steps)
            {
                var (symbol, paint) = step.Action switch
                {
                    StepAction.Create => ("+", Green),
                    StepAction.Delete => ("-", Red),
                    _ => ("~", Yellow),
                };
                var drift = step.IsDrift ? Paint(Bold, " [drift]") : "";
                var verb = step.Action == StepAction.Drain ? " (drain)" : "";
                text.Append(CultureInfo.InvariantCulture, $"  {Paint(paint, symbol)} {step.Target}{verb}{drift}\n");
                var details = Details(step);
                if (details.Length > 0)
                {
                    text.Append(CultureInfo.InvariantCulture, $"      {details}\n");
                }

                foreach (var change in Changes(step))
                {
                    text.Append(CultureInfo.InvariantCulture, $"      {Paint(Yellow, "~")} {change.Field}: {change.Old} -> {change.New}\n");
                }

                if (step.Reason is { } reason)
                {
                    text.Append(CultureInfo.InvariantCulture, $"      ({reason})\n");
                }
            }

            text.Append('\n');
        }

        if (plan.Draining.Count > 0)
        {
            text.Append("Draining (weight 0, deleted once their connections end):\n");
            foreach (var d in plan.Draining)
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"  real server {d.Endpoint} of {d.Service}: {d.ActiveConnections} active, {d.InactiveConnections} inactive, deadline {d.Deadline:u}\n");
            }

            text.Append('\n');
        }

        if (plan.Unmanaged.Count > 0)
        {
            text.Append("Unmanaged (not in the topology, not applied by reconciler; left alone):\n");
            foreach (var u in plan.Unmanaged)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {u.Key} with {u.Destinations} real server{(u.Destinations == 1 ? "" : "s")}\n");
            }

            text.Append('\n');
        }

        if (desired is not null && (desired.VrrpRoutes.Count > 0 || desired.VrrpRules.Count > 0))
        {
            text.Append("Kept by VRRP (added on becoming MASTER, removed on leaving it):\n");
            foreach (var r in desired.VrrpRoutes)
            {
                text.Append(CultureInfo.InvariantCulture, $"  route {RouteText.Format(r.Route)} (VRRP {r.Instance}: {VrrpState(r.Present, r.Held)})\n");
            }

            foreach (var r in desired.VrrpRules)
            {
                text.Append(CultureInfo.InvariantCulture, $"  rule {RouteText.Format(r.Rule)} (VRRP {r.Instance}: {VrrpState(r.Present, r.Held)})\n");
            }

            text.Append('\n');
        }

        var summary = plan.Summary;
        text.Append(plan.HasChanges ? Paint(Bold, summary.ToString()) : summary.ToString());
        if (summary.Drift > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" {summary.Drift} of them repair drift.");
        }

        text.Append('\n');
        return text.ToString();
    }

    private static string VrrpState(bool present, bool held) => held ? "role not known yet" : present ? "present, MASTER" : "absent, not MASTER";

    private static IReadOnlyList<FieldChange> Changes(PlanStep step) => step switch
    {
        RouteStep r => r.Changes,
        ServiceStep s => s.Changes,
        DestinationStep d => d.Changes,
        SysctlStep s => [new FieldChange("value", s.Old, s.New)],
        SyncDaemonStep s => s.Changes,
        _ => [],
    };

    private static string Details(PlanStep step) => step switch
    {
        ServiceStep { Action: StepAction.Create, Settings: { } s } => Describe(s),
        DestinationStep { Action: StepAction.Create } d => Describe(d.Settings),
        SyncDaemonStep { Action: StepAction.Create } s => Describe(s.Settings),
        _ => "",
    };

    private static string Describe(IpvsService s)
    {
        var parts = new List<string> { $"scheduler {s.Scheduler}" };
        if (s.IsPersistent)
        {
            parts.Add($"persistent {s.TimeoutSeconds}s netmask {FieldChanges.FormatNetmask(s.Key.Family, s.Netmask)}");
        }

        var flags = s.Flags & ~IpvsServiceFlags.Persistent;
        if (flags != IpvsServiceFlags.None)
        {
            parts.Add($"flags {FieldChanges.FormatFlags(flags)}");
        }

        if (s.PersistenceEngine is { } engine)
        {
            parts.Add($"engine {engine}");
        }

        return string.Join(", ", parts);
    }

    private static string Describe(IpvsSyncDaemon d)
    {
        var group = d.MulticastGroup ?? Desired.ConnectionSyncDaemons.DefaultGroup;
        var text = $"group {group} port {d.MulticastPort ?? Desired.ConnectionSyncDaemons.DefaultPort}, ttl {d.MulticastTtl ?? Desired.ConnectionSyncDaemons.DefaultTtl}";
        return d.SyncMaxLength is { } length ? text + $", max length {length}" : text;
    }

    private static string Describe(IpvsDestination d)
    {
        var text = $"{FieldChanges.FormatForwarding(d.Forwarding)}, weight {d.Weight}";
        if (d.UpperThreshold != 0 || d.LowerThreshold != 0)
        {
            text += $", thresholds {d.LowerThreshold}..{d.UpperThreshold}";
        }

        return text;
    }
}
