using Reconciler.Planning.Storage;
using Reconciler.Planning.Serialization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
/// systemd integration (Type=notify readiness, journald-friendly log lines) when run as a unit; the log as
/// <see cref="AgentLogging"/> writes it.
/// </summary>
public static class AgentHost
{
    /// <summary>The options of <c>/status</c> (<see cref="AgentJsonContext"/>'s).</summary>
    public static JsonSerializerOptions StatusJson => AgentJsonContext.Default.Options;

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

    /// <summary>Exit code when a loop of the agent died (0 after an orderly stop).</summary>
    public const int LoopFailedExitCode = 1;

    /// <summary>Opens the edges with <paramref name="openEdges"/> (the kernel, VRRP sockets, /proc/sys and the git
    /// source: the composition root's choice), runs until SIGTERM/SIGINT or until a loop dies, and returns the exit
    /// code: 0 after an orderly stop, <see cref="LoopFailedExitCode"/> when a loop died. An endpoint beyond loopback
    /// without a token file is refused (<see cref="ArgumentException"/>); an unreadable token file is an
    /// <see cref="IOException"/>.</summary>
    public static async Task<int> RunAsync(AgentSettings settings, Func<AgentSettings, ILoggerFactory, AgentEdges> openEdges, CancellationToken cancellationToken = default,
        AgentHostOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(openEdges);
        options ??= new AgentHostOptions();
        if (settings.EndpointTokenFile is null && !System.Net.IPAddress.IsLoopback(settings.Endpoint.Address))
        {
            throw new ArgumentException($"endpoint {settings.Endpoint} is not loopback: an endpoint beyond loopback needs a bearer token (endpointTokenFile)", nameof(settings));
        }

        var token = settings.EndpointTokenFile is { } tokenFile ? EndpointToken.Read(tokenFile) : null;
        StateFiles.EnsurePrivateFolder(settings.StateDirectory);

        // The agent comes first, and a restarted one puts the revision it kept in force (VRRP started, a reconcile
        // asked) while the host is being built: building it (dependency injection, Kestrel) was most of a restart's
        // time to its first VRRP advert, which keepalived spends reading its file. The poll loop waits for this.
        using var loggers = LoggerFactory.Create(logging => AgentLogging.Configure(logging, settings.LogFormat, SystemdHelpers.IsSystemdService()));
        await using var agent = new NodeAgent(settings, openEdges(settings, loggers), TimeProvider.System, loggers);
        _ = agent.RestoreAsync(cancellationToken);

        var builder = WebApplication.CreateSlimBuilder(HostOptions);
        builder.Services.AddSystemd();
        builder.Logging.ClearProviders();
        builder.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(loggers)); // one factory, the agent's
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
        builder.Services.AddSingleton(agent); // an instance: disposed here, after the host, not by its container
        builder.Services.AddSingleton(new LoopLiveness(TimeProvider.System, options.StuckAfter));
        builder.Services.AddSingleton<AgentService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<AgentService>());
        builder.Services.AddHostedService(services =>
        {
            var liveness = services.GetRequiredService<LoopLiveness>();
            return new SystemdWatchdog(
                SystemdWatchdog.FromEnvironment(options.Environment),
                () => liveness.WhyNotAlive() ?? agent.WhyVrrpNotResponsive(liveness.StuckAfter),
                TimeProvider.System,
                services.GetRequiredService<ILogger<SystemdWatchdog>>());
        });

        await using var app = builder.Build();
        MapEndpoints(app, token);
        var service = app.Services.GetRequiredService<AgentService>();
        try
        {
            // Stops the agent (VRRP released) and disposes the host; the agent is disposed after it, the loggers last.
            await app.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (service.FailedLoop is not null)
        {
            // A loop died while the host was still starting: its stop cancelled the start.
        }

        return service.FailedLoop is null ? 0 : LoopFailedExitCode;
    }

    private static void MapEndpoints(WebApplication app, EndpointToken? token)
    {
        var agent = app.Services.GetRequiredService<NodeAgent>();
        var service = app.Services.GetRequiredService<AgentService>();
        var reconcileLimit = new ReconcileRequestLimit(TimeProvider.System);
        if (token is not null)
        {
            // Every route but /healthz (what a load balancer or systemd probe asks, and it says nothing but ok) and the
            // status page (no data in it: it asks the person for the token and sends it on its reads of /status).
            app.Use(async (context, next) =>
            {
                if (context.Request.Path.Equals("/healthz", StringComparison.Ordinal) || Status.StatusPage.IsPage(context.Request.Path)
                    || token.Accepts(context.Request.Headers.Authorization))
                {
                    await next(context).ConfigureAwait(false);
                    return;
                }

                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await context.Response.WriteAsync("a bearer token is required (the agent's endpointTokenFile)\n").ConfigureAwait(false);
            });
        }

        // RequestDelegate handlers that execute their IResult: a Delegate handler needs the request delegate generator
        // (or reflection) to bind its parameters, and these have none to bind. JSON goes through source-generated contexts.
        app.MapGet("/healthz", context => (service.Healthy
            ? Results.Text("ok\n", "text/plain")
            : Results.Text("a loop of the agent failed; see the log\n", "text/plain", statusCode: StatusCodes.Status503ServiceUnavailable)).ExecuteAsync(context));
        app.MapGet("/", Status.StatusPage.WriteAsync);
        app.MapGet("/status", context => Results.Json(agent.GetStatus(), AgentJsonContext.Default.AgentStatus).ExecuteAsync(context));
        app.MapGet("/plan", WritePlanAsync);
        app.MapGet("/overlay", context => (agent.GetOverlay() is { } overlay
            ? Results.Json(overlay, PlanningJsonContext.Default.OverlaySnapshot)
            : Results.Text("no topology in force yet\n", "text/plain", statusCode: StatusCodes.Status404NotFound)).ExecuteAsync(context));
        // Streamed as written, each piece flushed: Kestrel then reuses the same few blocks of its memory pool (a 16 MB
        // text written at once took a 4 KB block for every 4 KB and the pool kept them: 30 MB after one scrape).
        app.MapGet("/metrics", context =>
        {
            context.Response.ContentType = PrometheusWriter.ContentType;
            return agent.WriteMetricsAsync(async (piece, cancel) => await context.Response.BodyWriter.WriteAsync(piece, cancel).ConfigureAwait(false),
                context.RequestAborted);
        });
        app.MapPost("/reconcile", context => Reconcile(context).ExecuteAsync(context));
        app.MapPost("/handover", context => Standby(context, agent.HandOver).ExecuteAsync(context));
        app.MapPost("/resume", context => Standby(context, agent.Resume).ExecuteAsync(context));

        // POST /handover?instance=VI_1&instance=VI_2 (every instance of the node without one), and /resume likewise.
        static IResult Standby(HttpContext context, Func<IReadOnlyCollection<string>, Engine.HandoverResult> change)
        {
            var instances = context.Request.Query["instance"].Where(i => !string.IsNullOrEmpty(i)).Select(i => i!).ToList();
            try
            {
                return Results.Json(change(instances), AgentJsonContext.Default.HandoverResult);
            }
            catch (InvalidOperationException e)
            {
                return Results.Text(e.Message + "\n", "text/plain", statusCode: StatusCodes.Status409Conflict);
            }
            catch (ArgumentException e)
            {
                return Results.Text(e.Message + "\n", "text/plain", statusCode: StatusCodes.Status400BadRequest);
            }
            catch (IOException e)
            {
                return Results.Text($"the state folder cannot keep it, nothing changed: {e.Message}\n", "text/plain", statusCode: StatusCodes.Status500InternalServerError);
            }
        }

        async Task WritePlanAsync(HttpContext context)
        {
            if (agent.LastExecutedPlan is not { } executed)
            {
                await Results.Text("no plan executed yet\n", "text/plain", statusCode: StatusCodes.Status404NotFound).ExecuteAsync(context).ConfigureAwait(false);
                return;
            }

            var gzip = executed.IsCompressed && context.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase);
            context.Response.ContentType = "application/json; charset=utf-8";
            if (gzip)
            {
                context.Response.Headers.ContentEncoding = "gzip";
            }

            await executed.WriteJsonAsync(context.Response.Body, gzip, context.RequestAborted).ConfigureAwait(false);
        }

        IResult Reconcile(HttpContext context)
        {
            if (reconcileLimit.TryTake() is { } wait)
            {
                context.Response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Results.Text(
                    $"too many reconcile requests: {ReconcileRequestLimit.Burst} at once, then one every {ReconcileRequestLimit.Refill.TotalSeconds:0} s\n",
                    "text/plain", statusCode: StatusCodes.Status429TooManyRequests);
            }

            service.PollNow("POST /reconcile");
            return Results.Json(ReconcileQueued.Yes, AgentJsonContext.Default.ReconcileQueued, statusCode: StatusCodes.Status202Accepted);
        }
    }
}
