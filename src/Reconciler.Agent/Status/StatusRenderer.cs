using System.Globalization;
using System.Text;

namespace Reconciler.Agent.Status;

/// <summary><c>reconciler status</c> for a person: source, last reconcile, VRRP, services, errors.</summary>
public static class StatusRenderer
{
    public static string Render(AgentStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var text = new StringBuilder();
        void Line(string line) => text.Append(line).Append('\n');
        string Ago(DateTimeOffset time) => Duration(status.Now - time) + " ago";

        Line($"Node {status.Node}, up {Duration(status.Now - status.StartedAt)}");
        var source = status.Source;
        Line($"Source: {source.Repository} {source.Ref} ({source.Condition})");
        Line(source.Applied is { } applied
            ? $"  applied:  {Short(applied.Sha)} {applied.Subject} ({applied.Author}, {applied.Time.ToUniversalTime():yyyy-MM-dd HH:mm:ss}Z)"
            : "  applied:  none yet (nothing is applied before the first valid commit)");
        if (source.Rejected is { } rejected)
        {
            Line($"  rejected: {Short(rejected.Sha)} {rejected.Subject} ({rejected.Author}){(source.RejectedKind is { } kind ? $": {kind}" : "")}");
            foreach (var reason in source.RejectedReasons)
            {
                Line($"    {reason}");
            }
        }

        if (source.Message is { Length: > 0 } message && source.Condition != "Ready")
        {
            Line($"  {message}");
        }

        if (status.LastReconcile is { } last)
        {
            Line($"Last reconcile: {Ago(last.Time)}, {last.Result}, {last.Operations} operations ({last.Drift} drift) in {last.DurationMilliseconds.ToString("0.#", CultureInfo.InvariantCulture)} ms; why: {string.Join(", ", last.Reasons)}");
        }

        foreach (var vrrp in status.Vrrp)
        {
            Line($"VRRP {vrrp.Instance} (VRID {vrrp.VirtualRouterId}, v{vrrp.Version}, {vrrp.Interface}): {vrrp.State}, priority {vrrp.EffectivePriority}/{vrrp.Priority}" +
                 (vrrp.Master is null || vrrp.State == "MASTER" ? "" : $", master {vrrp.Master}") +
                 $", adverts {vrrp.AdvertsSent} sent / {vrrp.AdvertsReceived} received / {vrrp.Dropped} dropped" +
                 (vrrp.SyncGroup is null ? "" : $", sync group {vrrp.SyncGroup} {vrrp.SyncGroupState}{(vrrp.WantsMaster ? " (wants MASTER, waiting for the other members)" : "")}"));
        }

        foreach (var service in status.Services)
        {
            Line($"Service {service.Name} {service.Endpoint}{(service.VrrpInstance is null ? "" : $" [VRRP {service.VrrpInstance}]")}: {(service.InKernel ? "in kernel" : "not in kernel")}{(service.Health is null or "normal" ? "" : ", " + service.Health)}");
            foreach (var server in service.RealServers)
            {
                var weight = server.EffectiveWeight is { } effective
                    ? effective == server.ConfiguredWeight ? $"weight {effective}" : $"weight {effective} (configured {server.ConfiguredWeight})"
                    : "removed";
                var kernel = server.KernelWeight is { } k ? $"kernel {k}" : "not in kernel";
                Line($"  {server.Endpoint,-24} {server.Health,-9} {weight}, {kernel}{(server.Detail is null ? "" : " - " + server.Detail)}");
            }
        }

        if (status.Errors.Count > 0)
        {
            Line("Recent errors:");
            foreach (var error in status.Errors.TakeLast(5))
            {
                Line($"  {Ago(error.Time)} [{error.Source}] {error.Message}");
            }
        }

        return text.ToString();
    }

    private static string Short(string sha) => sha.Length > 12 ? sha[..12] : sha;

    private static string Duration(TimeSpan span) => span.TotalSeconds < 60
        ? $"{Math.Max(0, (int)span.TotalSeconds)}s"
        : span.TotalMinutes < 60 ? $"{(int)span.TotalMinutes}m{span.Seconds}s" : $"{(int)span.TotalHours}h{span.Minutes}m";
}
