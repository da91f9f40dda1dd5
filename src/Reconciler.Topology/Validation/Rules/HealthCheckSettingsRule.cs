using Reconciler.Topology.Loading;
using Reconciler.Topology.Model;

namespace Reconciler.Topology.Validation.Rules;

/// <summary>
/// A health check's settings fit its type (http settings for http/https, exec settings for exec, udp, dns and smtp
/// settings for their own type) and its numbers make sense. Files get the settings' fit from the loader; topologies
/// built in code get it here. A ping check's port only warns: ICMP has no ports, so the check ignores it, as
/// keepalived's PING_CHECK ignores <c>connect_port</c>, and an imported configuration may carry one. An http url that
/// repeats an earlier one warns.
/// </summary>
public sealed class HealthCheckSettingsRule : ITopologyRule
{
    public string Code => "health-check-settings";

    public void Check(ValidationContext context)
    {
        foreach (var (check, pointer) in HealthChecks.Of(context.Topology))
        {
            CheckOne(context, check, pointer);
        }
    }

    private void CheckOne(ValidationContext context, HealthCheck check, string pointer)
    {
        var isHttp = check.Kind is HealthCheckKind.Http or HealthCheckKind.Https;
        if (isHttp && check.Http is null)
        {
            context.Error(Code, pointer, "an http or https check needs http settings");
        }
        else if (!isHttp && check.Http is not null)
        {
            context.Error(Code, JsonPointer.Append(pointer, "http"), "http settings apply to type http or https only", atKey: true);
        }

        if (isHttp && check.Http is { MoreUrls.Count: > 0 } http)
        {
            RepeatedUrls(context, http, JsonPointer.Append(pointer, "http"));
        }

        if (check.Kind == HealthCheckKind.Exec && check.Exec is not { Command.Count: > 0 })
        {
            context.Error(Code, pointer, "an exec check needs exec settings with a command");
        }
        else if (check.Kind != HealthCheckKind.Exec && check.Exec is not null)
        {
            context.Error(Code, JsonPointer.Append(pointer, "exec"), "exec settings apply to type exec only", atKey: true);
        }

        OnlyWith(context, check, pointer, check.Udp, HealthCheckKind.Udp, "udp");
        OnlyWith(context, check, pointer, check.Dns, HealthCheckKind.Dns, "dns");
        OnlyWith(context, check, pointer, check.Smtp, HealthCheckKind.Smtp, "smtp");
        if (check.Kind == HealthCheckKind.Ping && check.Port is { } port)
        {
            context.Warning(Code, JsonPointer.Append(pointer, "port"), $"a ping check has no port (ICMP echo); port {port} is ignored");
        }

        if (check.Interval <= TimeSpan.Zero)
        {
            context.Error(Code, JsonPointer.Append(pointer, "interval"), "the interval must be longer than 0s");
        }

        if (check.ConnectTimeout <= TimeSpan.Zero)
        {
            context.Error(Code, JsonPointer.Append(pointer, "connectTimeout"), "the connect timeout must be longer than 0s");
        }
    }

    /// <summary>A url that repeats the path and host of an earlier one is fetched twice to the same end: it warns
    /// (keepalived accepts it too).</summary>
    private void RepeatedUrls(ValidationContext context, HttpCheck http, string pointer)
    {
        var urls = http.AllUrls().ToList();
        for (var i = 1; i < urls.Count; i++)
        {
            var earlier = urls.FindIndex(0, i, u => u.Path == urls[i].Path && u.Host == urls[i].Host);
            if (earlier >= 0)
            {
                var what = earlier == 0 ? "the check's first url" : $"moreUrls[{earlier - 1}]";
                context.Warning(Code, JsonPointer.Append(JsonPointer.Append(pointer, "moreUrls"), i - 1),
                    $"url {urls[i].Path} repeats the path and host of {what}: it is fetched twice");
            }
        }
    }

    private void OnlyWith(ValidationContext context, HealthCheck check, string pointer, object? settings, HealthCheckKind owner, string property)
    {
        if (settings is not null && check.Kind != owner)
        {
            context.Error(Code, JsonPointer.Append(pointer, property), $"{property} settings apply to type {property} only", atKey: true);
        }
    }
}
