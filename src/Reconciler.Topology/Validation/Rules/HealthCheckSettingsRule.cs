using Reconciler.Topology.Loading;
using Reconciler.Topology.Model;

namespace Reconciler.Topology.Validation.Rules;

/// <summary>
/// A health check's settings fit its type (http settings for http/https, exec settings for exec) and its
/// numbers make sense. Files get this from the loader; topologies built in code get it here.
/// </summary>
public sealed class HealthCheckSettingsRule : ITopologyRule
{
    public string Code => "health-check-settings";

    public void Check(ValidationContext context)
    {
        var services = context.Topology.Services;
        for (var s = 0; s < services.Count; s++)
        {
            if (services[s].HealthCheck is { } check)
            {
                CheckOne(context, check, Pointers.Service(s, "healthCheck"));
            }

            for (var r = 0; r < services[s].RealServers.Count; r++)
            {
                if (services[s].RealServers[r].HealthCheck is { } own)
                {
                    CheckOne(context, own, Pointers.RealServer(s, r, "healthCheck"));
                }
            }
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

        if (check.Kind == HealthCheckKind.Exec && check.Exec is not { Command.Count: > 0 })
        {
            context.Error(Code, pointer, "an exec check needs exec settings with a command");
        }
        else if (check.Kind != HealthCheckKind.Exec && check.Exec is not null)
        {
            context.Error(Code, JsonPointer.Append(pointer, "exec"), "exec settings apply to type exec only", atKey: true);
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
}
