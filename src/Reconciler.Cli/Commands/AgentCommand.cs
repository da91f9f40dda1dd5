using System.CommandLine;
using System.Net;
using System.Text.Json;
using Reconciler.Agent.Hosting;
using Reconciler.Agent.Settings;
using Reconciler.Agent.Status;
using Reconciler.Cli.Output;

namespace Reconciler.Cli.Commands;

/// <summary>
/// <c>reconciler agent</c> (the node agent, until SIGTERM) and <c>reconciler status</c> (ask a running agent).
/// The agent's settings come from <c>--config FILE</c> (JSON), then <c>RECONCILER_*</c> variables, then these options.
/// </summary>
internal static class AgentCommand
{
    private static readonly Dictionary<string, string> Descriptions = new(StringComparer.Ordinal)
    {
        ["--node"] = "This node's name in the topology (default: the host name).",
        ["--repo"] = "Topology repository: file://, git://, https:// or ssh:// URL, or a local path.",
        ["--branch"] = "Branch to follow (default main).",
        ["--path"] = "Topology folder or file inside the repository (default: the root).",
        ["--rev"] = "Pin a commit, tag or branch instead of following --branch.",
        ["--user"] = "User name for https.",
        ["--token-file"] = "File holding the https token (never put it on the command line).",
        ["--token-env"] = "Environment variable holding the https token.",
        ["--ssh-key"] = "Private key file for ssh://.",
        ["--known-hosts"] = "known_hosts file for ssh:// (required with --ssh-key).",
        ["--allowed-signers"] = "Apply only commits with an SSH signature that verifies against this allowed-signers file.",
        ["--poll-interval"] = "How often to ask the repository for a new commit (default 15s).",
        ["--drift-interval"] = "How often to compare the kernel with the topology unprompted (default 30s).",
        ["--min-reconcile-interval"] = "Triggers closer together are coalesced into one reconcile (default 250ms).",
        ["--drain-timeout"] = "How long a removed TCP real server drains before deletion (default 5m).",
        ["--state-dir"] = "State folder: git cache, ownership record, audit journal (default /var/lib/reconciler).",
        ["--endpoint"] = "Local HTTP endpoint for /healthz, /status, /metrics, POST /reconcile (default 127.0.0.1:9477).",
        ["--endpoint-token-file"] = "File holding the bearer token every route but /healthz then requires (required for a non-loopback --endpoint).",
        ["--script-user"] = "User that exec checks, tracked scripts and notify commands run as (default: keepalived_script if it exists, else nobody).",
        ["--max-concurrent-scripts"] = "How many of those commands may run at once (default 32).",
    };

    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "JSON settings file (keys: node, repository.url, pollInterval, ...)." };
        var options = Descriptions.ToDictionary(d => d.Key, d => new Option<string?>(d.Key) { Description = d.Value }, StringComparer.Ordinal);
        var cleanup = new Option<bool>("--cleanup-on-stop") { Description = "On stop, remove what the agent owns (default: leave IPVS as it is)." };
        var allowMassRemoval = new Option<bool>("--allow-mass-removal") { Description = "Let a commit remove more than the safety limit of services." };
        var scriptsAsRoot = new Option<bool>("--scripts-as-root") { Description = "Run exec checks, tracked scripts and notify commands as root (an explicit opt-in; default: --script-user)." };
        var command = new Command("agent", "Run the node agent: follow the topology in git and keep this node's IPVS, VIPs and VRRP in line with it.");
        command.Options.Add(config);
        foreach (var option in options.Values)
        {
            command.Options.Add(option);
        }

        command.Options.Add(cleanup);
        command.Options.Add(allowMassRemoval);
        command.Options.Add(scriptsAsRoot);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var values = new List<KeyValuePair<string, string?>>();
            foreach (var (name, option) in options)
            {
                if (parse.GetValue(option) is { } value)
                {
                    values.Add(KeyValuePair.Create(AgentSettingsReader.SwitchMappings[name], (string?)value));
                }
            }

            if (parse.GetValue(cleanup))
            {
                values.Add(KeyValuePair.Create(AgentSettingsReader.SwitchMappings["--cleanup-on-stop"], (string?)"true"));
            }

            if (parse.GetValue(allowMassRemoval))
            {
                values.Add(KeyValuePair.Create(AgentSettingsReader.SwitchMappings["--allow-mass-removal"], (string?)"true"));
            }

            if (parse.GetValue(scriptsAsRoot))
            {
                values.Add(KeyValuePair.Create(AgentSettingsReader.SwitchMappings["--scripts-as-root"], (string?)"true"));
            }

            AgentSettings? settings;
            IReadOnlyList<string> errors;
            try
            {
                (settings, errors) = AgentSettingsReader.Read(AgentSettingsReader.Build(parse.GetValue(config), values));
            }
            catch (Exception e) when (e is IOException or InvalidDataException or FormatException)
            {
                return Terminal.Fail($"settings: {e.Message}");
            }

            if (settings is null)
            {
                foreach (var error in errors)
                {
                    Console.Error.WriteLine($"reconciler agent: {error}");
                }

                return ExitCodes.Error;
            }

            Reconciler.Linux.Scripts.ScriptRunner created;
            try
            {
                created = Reconciler.Linux.Scripts.ScriptRunner.Create(settings.Scripts);
            }
            catch (Reconciler.Linux.Scripts.ScriptPolicyException e)
            {
                return Terminal.Fail($"scripts: {e.Message}");
            }

            using var scripts = created;
            try
            {
                return await AgentHost.RunAsync(settings, (s, loggers) => Composition.LinuxAgentEdges.Open(s, loggers, scripts), cancellationToken);
            }
            catch (Exception e) when (e is Reconciler.Linux.Netlink.NetlinkException or Reconciler.GitSource.Source.GitSourceException or IOException or UnauthorizedAccessException)
            {
                return Terminal.Fail(e.Message);
            }
        });
        return command;
    }

    public static Command CreateStatus()
    {
        var endpoint = new Option<string>("--endpoint") { Description = "The agent's endpoint.", DefaultValueFactory = _ => AgentSettings.DefaultEndpoint.ToString() };
        var json = new Option<bool>("--json") { Description = "Print the agent's /status JSON as it is." };
        var plan = new Option<bool>("--plan") { Description = "Print the last plan the agent executed, in the JSON of 'reconciler plan --json'." };
        var tokenFile = AgentEndpointClient.TokenFileOption();
        var command = new Command("status", "Ask the running agent how it is: commit in force, rejected commits, VRRP, services and health.") { endpoint, json, plan, tokenFile };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!IPEndPoint.TryParse(parse.GetRequiredValue(endpoint), out var address))
            {
                return Terminal.Fail($"--endpoint: '{parse.GetValue(endpoint)}' is not an address:port");
            }

            HttpClient created;
            try
            {
                created = AgentEndpointClient.Create(parse.GetValue(tokenFile), TimeSpan.FromSeconds(30));
            }
            catch (IOException e)
            {
                return Terminal.Fail(e.Message);
            }

            using var http = created;
            string body;
            try
            {
                if (parse.GetValue(plan))
                {
                    using var response = await http.GetAsync(new Uri($"http://{address}/plan"), cancellationToken);
                    var text = await response.Content.ReadAsStringAsync(cancellationToken);
                    if (!response.IsSuccessStatusCode)
                    {
                        return Terminal.Fail($"the agent at {address}: {text.Trim()}");
                    }

                    Console.Out.Write(text + "\n");
                    return ExitCodes.Success;
                }

                using var answer = await http.GetAsync(new Uri($"http://{address}/status"), cancellationToken);
                body = await answer.Content.ReadAsStringAsync(cancellationToken);
                if (!answer.IsSuccessStatusCode)
                {
                    return Terminal.Fail($"the agent at {address} answered {(int)answer.StatusCode}: {body.Trim()}");
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return Terminal.Fail($"no agent answers at {address}: {e.Message}");
            }

            if (parse.GetValue(json))
            {
                Console.Out.Write(body);
                return ExitCodes.Success;
            }

            var status = JsonSerializer.Deserialize<AgentStatus>(body, AgentHost.StatusJson);
            if (status is null)
            {
                return Terminal.Fail("the agent's /status was empty");
            }

            Console.Out.Write(StatusRenderer.Render(status));
            return ExitCodes.Success;
        });
        return command;
    }
}
