using System.CommandLine;
using System.Net;
using System.Text.Json;
using Reconciler.Agent.Hosting;
using Reconciler.Agent.Settings;
using Reconciler.Agent.Status;
using Reconciler.Cli.Output;
using Reconciler.GitSource.Source;

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
        ["--allowed-signers"] = "Apply only signed commits; SSH signatures verify against this allowed-signers file.",
        ["--gpg-home"] = "Apply only signed commits; OpenPGP signatures verify against this gpg home's keyring (needs --gpg-fingerprints).",
        ["--gpg-fingerprints"] = "OpenPGP key fingerprints (comma-separated) whose signatures are accepted; never any key of the keyring.",
        ["--poll-interval"] = "How often to ask the repository for a new commit (default 15s).",
        ["--drift-interval"] = "How often to compare the kernel with the topology unprompted (default 30s).",
        ["--min-reconcile-interval"] = "Triggers closer together are coalesced into one reconcile (default 250ms).",
        ["--drain-timeout"] = "How long a removed TCP real server drains before deletion (default 5m).",
        ["--state-dir"] = "State folder: git cache, ownership record, audit journal (default /var/lib/reconciler).",
        ["--endpoint"] = "Local HTTP endpoint for /healthz, /status, /metrics, POST /reconcile (default 127.0.0.1:9477).",
        ["--endpoint-token-file"] = "File holding the bearer token every route but /healthz then requires (required for a non-loopback --endpoint).",
        ["--script-user"] = "User that exec checks, tracked scripts and notify commands run as (default: keepalived_script if it exists, else nobody).",
        ["--max-concurrent-scripts"] = "How many of those commands may run at once (default 32).",
        ["--log-format"] = "text (one line per event, journald's form under systemd; the default) or json (one JSON object per line).",
    };

    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "JSON settings file (keys: node, repository.url, pollInterval, ...)." };
        var options = Descriptions.ToDictionary(d => d.Key, d => new Option<string?>(d.Key) { Description = d.Value }, StringComparer.Ordinal);
        var cleanup = new Option<bool>("--cleanup-on-stop") { Description = "On stop, remove what the agent owns (default: leave IPVS as it is)." };
        var allowMassRemoval = new Option<bool>("--allow-mass-removal") { Description = "Let a commit remove more than the safety limit of services." };
        var allowNonFastForward = new Option<bool>("--allow-non-fast-forward") { Description = "Accept a new tip that does not descend from the last applied commit (a force-push); default: refuse it (see 'agent accept-tip')." };
        var scriptsAsRoot = new Option<bool>("--scripts-as-root") { Description = "Run exec checks, tracked scripts and notify commands as root (an explicit opt-in; default: --script-user)." };
        var command = new Command("agent", "Run the node agent: follow the topology in git and keep this node's IPVS, VIPs and VRRP in line with it.");
        command.Subcommands.Add(CreateAcceptTip());
        command.Options.Add(config);
        foreach (var option in options.Values)
        {
            command.Options.Add(option);
        }

        command.Options.Add(cleanup);
        command.Options.Add(allowMassRemoval);
        command.Options.Add(allowNonFastForward);
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

            if (parse.GetValue(allowNonFastForward))
            {
                values.Add(KeyValuePair.Create(AgentSettingsReader.SwitchMappings["--allow-non-fast-forward"], (string?)"true"));
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

    /// <summary>
    /// <c>reconciler agent accept-tip SHA</c>: the operator accepts one rewritten commit that the agent refused as not
    /// a fast-forward. It writes <c>accept-tip</c> into the agent's state folder (<see cref="TipAcceptance"/>), which the
    /// agent reads at its next poll and removes once it has accepted that commit (or one built on it). A file rather
    /// than a call to the endpoint: writing it takes the rights of the agent's own state (root), and it works while
    /// the agent is stopped or restarting.
    /// </summary>
    internal static Command CreateAcceptTip()
    {
        var sha = new Argument<string>("sha") { Description = "The full sha of the rewritten commit to accept (named in the agent's rejection)." };
        var stateDirectory = new Option<string>("--state-dir")
        {
            Description = "The agent's state folder (default /var/lib/reconciler).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("RECONCILER_STATEDIRECTORY") ?? Environment.GetEnvironmentVariable("RECONCILER_STATE_DIR") ?? AgentSettings.DefaultStateDirectory,
        };
        var command = new Command("accept-tip", "Accept once a commit the agent refused because it does not descend from the last applied one (a force-push).")
        {
            sha, stateDirectory,
        };
        command.SetAction(parse =>
        {
            try
            {
                var path = TipAcceptance.Write(parse.GetRequiredValue(stateDirectory), parse.GetRequiredValue(sha));
                Console.Out.Write($"Wrote {path}: the agent accepts commit {parse.GetRequiredValue(sha).Trim().ToLowerInvariant()} (and commits built on it) at its next poll, "
                    + "if it is signed and valid as required, then removes the file. Poll now: SIGHUP or POST /reconcile.\n");
                return ExitCodes.Success;
            }
            catch (GitSourceException e)
            {
                return Terminal.Fail($"agent accept-tip: {e.Message}");
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
            if (AgentEndpointClient.Open(parse.GetRequiredValue(endpoint), parse.GetValue(tokenFile), TimeSpan.FromSeconds(30), out var failure) is not (var address, var created))
            {
                return failure;
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

            var status = JsonSerializer.Deserialize(body, AgentJsonContext.Default.AgentStatus);
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
