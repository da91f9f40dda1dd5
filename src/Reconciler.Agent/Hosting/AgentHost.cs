using Reconciler.Planning.Storage;
using Reconciler.Planning.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Reconciler.Agent.Engine;
using Reconciler.Agent.Metrics;
using Reconciler.Agent.Settings;
using Reconciler.GitSource.Source;

namespace Reconciler.Agent.Hosting;

/// <summary>
/// <c>reconciler agent</c>: the node agent on Microsoft.Extensions.Hosting with Kestrel serving the local endpoint,
/// systemd integration (Type=notify readiness, journald-friendly log lines) when run as a unit.
/// </summary>
public static class AgentHost
{
    public static JsonSerializerOptions StatusJson { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>
    /// The agent's settings come from <see cref="Settings.AgentSettingsReader"/>, not from the host's
    /// appsettings.json. Left at its defaults the host would read that file from the working directory and watch it
    /// for changes, and .NET's file watcher on Linux watches the whole tree below that directory: started by systemd
    /// (working directory /) the agent put an inotify watch on every directory of the machine (41,496 here).
    /// The content root is the program's own folder and nothing is watched.
    /// </summary>
    internal static WebApplicationOptions HostOptions { get; } = new()
    {
        ContentRootPath = AppContext.BaseDirectory,
        Args = ["--hostBuilder:reloadConfigOnChange=false"],
    };

    /// <summary>Opens the edges with <paramref name="openEdges"/> (the kernel, VRRP sockets, /proc/sys and the git
    /// source: the composition root's choice), runs until SIGTERM/SIGINT, and returns the exit code.</summary>
    public static async Task<int> RunAsync(AgentSettings settings, Func<AgentSettings, ILoggerFactory, AgentEdges> openEdges, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(openEdges);
        StateFiles.EnsurePrivateFolder(settings.StateDirectory);
        var builder = WebApplication.CreateSlimBuilder(HostOptions);
        builder.Services.AddSystemd();
        builder.Logging.ClearProviders();
        if (SystemdHelpers.IsSystemdService())
        {
            builder.Logging.AddConsole(); // AddSystemd chose the systemd formatter: <6>-style priorities, no colours
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
                o.UseUtcTimestamp = true;
            });
        }

        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(settings.Endpoint, listen => listen.Protocols = HttpProtocols.Http1);
            k.AddServerHeader = false;
            k.Limits.MaxConcurrentConnections = 256;
            k.Limits.MaxRequestBodySize = 64 * 1024;
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));

        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(services => openEdges(settings, services.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddSingleton(services => new NodeAgent(
            settings, services.GetRequiredService<AgentEdges>(), TimeProvider.System, services.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddSingleton<AgentService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<AgentService>());

        await using var app = builder.Build();
        MapEndpoints(app);
        // Stops the agent (VRRP released) and disposes the host, whose container disposes the agent it built.
        await app.RunAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }

    private static void MapEndpoints(WebApplication app)
    {
        var agent = app.Services.GetRequiredService<NodeAgent>();
        var service = app.Services.GetRequiredService<AgentService>();
        app.MapGet("/healthz", () => service.Healthy
            ? Results.Text("ok\n", "text/plain")
            : Results.Text("a loop of the agent failed; see the log\n", "text/plain", statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapGet("/status", () => Results.Json(agent.GetStatus(), StatusJson));
        app.MapGet("/plan", () => agent.LastExecutedPlan is { } executed
            ? Results.Json(executed.Plan, PlanningJson.Options)
            : Results.Text("no plan executed yet\n", "text/plain", statusCode: StatusCodes.Status404NotFound));
        app.MapGet("/overlay", () => agent.GetOverlay() is { } overlay
            ? Results.Json(overlay, PlanningJson.Options)
            : Results.Text("no topology in force yet\n", "text/plain", statusCode: StatusCodes.Status404NotFound));
        app.MapGet("/metrics", () => Results.Text(agent.WriteMetrics(), PrometheusWriter.ContentType));
        app.MapPost("/reconcile", () =>
        {
            service.PollNow("POST /reconcile");
            return Results.Json(new { queued = true }, StatusJson, statusCode: StatusCodes.Status202Accepted);
        });
    }
}
