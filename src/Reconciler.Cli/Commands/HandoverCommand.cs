using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Reconciler.Agent.Engine;
using Reconciler.Agent.Hosting;
using Reconciler.Agent.Settings;
using Reconciler.Agent.Status;
using Reconciler.Cli.Output;
using Reconciler.Topology;

namespace Reconciler.Cli.Commands;

/// <summary>
/// <c>reconciler handover</c>: planned maintenance. Asks the local agent to put its VRRP instances on standby (a MASTER
/// lets go with a priority-0 advert and drops the virtual addresses at once, so the best backup takes over after its
/// skew time), then waits, reading the agent's /status, until a peer is MASTER of each: this node, BACKUP without the
/// addresses, forwards nothing for them from then on. Established connections go on at the peer when the instance
/// synchronises connections (the command says so, or warns that they are reset). <c>--resume</c> takes the instances
/// off standby.
/// </summary>
internal static class HandoverCommand
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(100);

    public static Command Create()
    {
        var endpoint = new Option<string>("--endpoint") { Description = "The agent's endpoint.", DefaultValueFactory = _ => AgentSettings.DefaultEndpoint.ToString() };
        var instances = new Option<string[]>("--instance") { Description = "A VRRP instance to hand over (repeatable; default: every instance of this node).", AllowMultipleArgumentsPerToken = false };
        var resume = new Option<bool>("--resume") { Description = "Take the instances off standby: back to the configured priority (with preemption, a MASTER again)." };
        var timeout = new Option<string>("--timeout") { Description = "How long to wait for a peer to take over and this node to forward nothing.", DefaultValueFactory = _ => "60s" };
        var tokenFile = AgentEndpointClient.TokenFileOption();
        var command = new Command("handover", "Planned maintenance: make a peer MASTER of this node's VRRP instances and wait until this node forwards nothing for them; they stay on standby (across agent restarts) until --resume.")
        {
            endpoint, instances, resume, timeout, tokenFile,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!Durations.TryParse(parse.GetRequiredValue(timeout), out var limit) || limit <= TimeSpan.Zero)
            {
                return Terminal.Fail($"--timeout: '{parse.GetValue(timeout)}' is not a duration (examples: 30s, 2m)");
            }

            if (AgentEndpointClient.Open(parse.GetRequiredValue(endpoint), parse.GetValue(tokenFile), TimeSpan.FromSeconds(30), out var failure) is not (var address, var created))
            {
                return failure;
            }

            using var http = created;
            var names = parse.GetValue(instances) ?? [];
            var verb = parse.GetValue(resume) ? "resume" : "handover";
            var query = string.Join('&', names.Select(n => "instance=" + Uri.EscapeDataString(n)));
            var clock = Stopwatch.StartNew();
            HandoverResult result;
            try
            {
                using var response = await http.PostAsync(new Uri($"http://{address}/{verb}{(query.Length > 0 ? "?" + query : "")}"), null, cancellationToken);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    return Terminal.Fail($"the agent at {address}: {body.Trim()}");
                }

                result = JsonSerializer.Deserialize(body, AgentJsonContext.Default.HandoverResult)!;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return Terminal.Fail($"no agent answers at {address}: {e.Message}");
            }

            if (verb == "resume")
            {
                Console.Out.Write($"VRRP {Names(result.Changed)}: off standby, back to the configured priority{(result.Standby.Count > 0 ? $" (still on standby: {Names(result.Standby)})" : "")}\n");
                return ExitCodes.Success;
            }

            Console.Out.Write($"VRRP {Names(result.Changed)}: on standby (priority 1); a MASTER lets go now\n");
            return await WaitAsync(http, address, result.Changed, clock, limit, cancellationToken);
        });
        return command;
    }

    private static string Names(IReadOnlyList<string> names) => names.Count == 0 ? "(none)" : string.Join(", ", names);

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";

    /// <summary>Reads /status until a peer is MASTER of every instance; prints each moment as it comes.</summary>
    private static async Task<int> WaitAsync(HttpClient http, IPEndPoint address, IReadOnlyList<string> instances, Stopwatch clock, TimeSpan limit, CancellationToken cancellationToken)
    {
        var peerAt = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        AgentStatus? status = null;
        while (clock.Elapsed < limit)
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"http://{address}/status"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    status = JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(cancellationToken), AgentJsonContext.Default.AgentStatus);
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // The agent is busy (a reconcile under load): ask again.
            }

            if (status is not null)
            {
                foreach (var vrrp in status.Vrrp.Where(v => instances.Contains(v.Instance) && !peerAt.ContainsKey(v.Instance)))
                {
                    if (vrrp.State == "BACKUP" && vrrp.Master is { } master)
                    {
                        peerAt[vrrp.Instance] = clock.Elapsed;
                        var connections = vrrp.SyncsConnections
                            ? "its established connections go on there (connectionSync)"
                            : "warning: it has no connectionSync, so the connections this node forwarded are reset when they reach the peer";
                        Console.Out.Write($"VRRP {vrrp.Instance}: {master} is MASTER after {Seconds(clock.Elapsed)}; this node holds none of its addresses and forwards nothing for it; {connections}\n");
                    }
                }

                if (peerAt.Count == instances.Count)
                {
                    Console.Out.Write($"Handover done in {Seconds(clock.Elapsed)}; on standby until 'reconciler handover --resume'.\n");
                    return ExitCodes.Success;
                }
            }

            await Task.Delay(PollEvery, cancellationToken);
        }

        var missing = instances.Where(i => !peerAt.ContainsKey(i)).ToList();
        var detail = $"no peer became MASTER of {Names(missing)}" + (status?.Vrrp.FirstOrDefault(v => missing.Contains(v.Instance)) is { State: "MASTER" } ? " (this node is MASTER again: no other node advertises)" : "");
        return Terminal.Fail($"handover not done after {Seconds(limit)}: {detail}; the instances stay on standby ('reconciler handover --resume' to undo)");
    }
}
