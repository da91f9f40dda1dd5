using System.CommandLine;
using System.Net;
using System.Net.NetworkInformation;
using Reconciler.Cli.Output;
using Reconciler.Planning.Desired;
using Reconciler.Planning.Execution;
using Reconciler.Planning.Ownership;
using Reconciler.Topology.Loading;

namespace Reconciler.Cli.Commands;

/// <summary>The options plan and apply share: which topology (files, or a commit in git), which node, where the state lives.</summary>
internal sealed class NodeOptions(bool topologyRequired = true)
{
    public Option<string[]> Files { get; } = new("--file", "-f")
    {
        Description = "Topology file or directory (repeatable; or --repo).",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public GitOptions Git { get; } = new();

    public Option<string?> Node { get; } = new("--node") { Description = "Node name (default: the node whose address is on this host)." };

    public Option<string> StateDirectory { get; } = new("--state-dir")
    {
        Description = "Folder for the ownership record (what reconciler applied and therefore owns), the audit journal and the git cache.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("RECONCILER_STATE_DIR") ?? "/var/lib/reconciler",
    };

    public Option<string[]> Roles { get; } = new("--role")
    {
        Description = "Plan as if this node had this VRRP role: INSTANCE=master|backup (repeatable). Without it, services bound to an instance are held as they are and its addresses left alone.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public Option<string> Endpoint { get; } = new("--endpoint")
    {
        Description = "The local agent's endpoint: when an agent answers there for the same node, plan with its VRRP roles, health and drain timeout (what it would do now). 'none' to ignore it.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("RECONCILER_ENDPOINT") ?? "127.0.0.1:9477",
    };

    public Option<string?> EndpointTokenFile { get; } = AgentEndpointClient.TokenFileOption();

    public void AddTo(Command command)
    {
        command.Options.Add(Roles);
        command.Options.Add(Endpoint);
        command.Options.Add(EndpointTokenFile);
        command.Options.Add(Files);
        command.Options.Add(Node);
        command.Options.Add(StateDirectory);
        Git.AddTo(command);
        Git.ExclusiveWith(command, result => result.GetValue(Files) is { Length: > 0 }, "-f", topologyRequired);
    }

    public string OwnershipPath(ParseResult parse) => Path.Combine(parse.GetRequiredValue(StateDirectory), "ownership.json");

    public FileOwnershipStore OwnershipStore(ParseResult parse) => new(OwnershipPath(parse));

    public string StateDirectoryPath(ParseResult parse) => parse.GetRequiredValue(StateDirectory);

    /// <summary>Loads and validates the topology from the files or from git; prints every finding on error.
    /// <paramref name="git"/> is the commit read when the topology came from git (set even when it is invalid).</summary>
    /// <summary>
    /// Loads the topology on another thread while <paramref name="read"/> reads the node on this one: the read is the
    /// kernel's work (an IPVS dump, the addresses, the ownership record), the load ours, and at 1,000 x 10 each is most
    /// of a second in the lab guest. Every netlink message of the command still goes from its one thread, in order (the
    /// read, then the apply's writes). The load is waited for whatever the read does.
    /// </summary>
    public (TopologyModel? Topology, GitTopology? Git, NodeReading Reading) LoadTopologyWhileReading(ParseResult parse, Func<NodeReading> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var loading = Task.Run(() => (LoadTopology(parse, out var git), git));
        try
        {
            var reading = read();
            var (topology, git) = loading.GetAwaiter().GetResult();
            return (topology, git, reading);
        }
        finally
        {
            ((IAsyncResult)loading).AsyncWaitHandle.WaitOne(); // its diagnostics are printed before the read's failure
        }
    }

    public TopologyModel? LoadTopology(ParseResult parse, out GitTopology? git)
    {
        git = null;
        TopologyLoadResult result;
        var what = "the topology";
        if (Git.IsGiven(parse))
        {
            git = Git.Load(parse, StateDirectoryPath(parse));
            if (git is null)
            {
                return null;
            }

            result = git.Result;
            what = $"the topology at {git.Describe()}";
        }
        else
        {
            var paths = parse.GetValue(Files) ?? [];
            if (paths.Length == 0)
            {
                Terminal.Fail("no topology: pass -f FILE_OR_DIRECTORY or --repo URL");
                return null;
            }

            result = TopologyLoader.LoadPaths(paths);
        }

        if (!result.IsValid)
        {
            DiagnosticsOutput.WriteText(Console.Error, result.Diagnostics);
            Console.Error.WriteLine($"reconciler: {what} is invalid: {DiagnosticsOutput.CountLine(result.Diagnostics)}; nothing was done");
            return null;
        }

        DiagnosticsOutput.WriteText(Console.Error, [.. result.Warnings]);
        return result.Topology;
    }

    /// <summary>
    /// The runtime inputs of the plan, as the agent has them: its VRRP roles, health results and drain timeout when an
    /// agent for <paramref name="node"/> answers at <c>--endpoint</c>; else none (services bound to an instance held
    /// as they are, every real server at its configured weight). <c>--role</c> overrides a role either way (what if).
    /// </summary>
    public (RuntimeOverlay Overlay, TimeSpan? DrainTimeout)? Overlay(ParseResult parse, TopologyModel topology, string node)
    {
        var roles = new Dictionary<string, VrrpRole>(StringComparer.Ordinal);
        foreach (var pair in parse.GetValue(Roles) ?? [])
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var instance = equals > 0 ? pair[..equals] : "";
            VrrpRole? role = equals > 0 ? pair[(equals + 1)..].ToLowerInvariant() switch { "master" => VrrpRole.Master, "backup" => VrrpRole.Backup, _ => null } : null;
            if (role is null || topology.FindVrrpInstance(instance) is null)
            {
                Terminal.Fail($"--role {pair}: expected INSTANCE=master|backup with an instance of the topology ({string.Join(", ", topology.VrrpInstances.Select(v => v.Name))})");
                return null;
            }

            roles[instance] = role.Value;
        }

        var agent = AgentOverlay(parse, node);
        if (agent is null)
        {
            return (new RuntimeOverlay(roles, NoHealthOverlay.Instance), null);
        }

        var overlay = agent.ToOverlay();
        var merged = new Dictionary<string, VrrpRole>(overlay.VrrpRoles, StringComparer.Ordinal);
        foreach (var (instance, role) in roles)
        {
            merged[instance] = role;
        }

        return (overlay with { VrrpRoles = merged }, agent.DrainTimeout);
    }

    /// <summary>The running agent's overlay, when one answers at --endpoint for this node; null otherwise (said on stderr).</summary>
    private OverlaySnapshot? AgentOverlay(ParseResult parse, string node)
    {
        var endpoint = parse.GetRequiredValue(Endpoint);
        if (endpoint == "none" || !IPEndPoint.TryParse(endpoint, out var address))
        {
            return null;
        }

        try
        {
            using var http = AgentEndpointClient.Create(parse.GetValue(EndpointTokenFile), TimeSpan.FromSeconds(60));
            using var response = http.GetAsync(new Uri($"http://{address}/overlay")).GetAwaiter().GetResult();
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                Console.Error.WriteLine($"The agent at {address} refused this command's token (or it sent none: --endpoint-token-file); planning without its roles and health.");
                return null;
            }

            if (!response.IsSuccessStatusCode)
            {
                Console.Error.WriteLine($"The agent at {address} has no topology in force yet; planning without its roles and health.");
                return null;
            }

            var snapshot = System.Text.Json.JsonSerializer.Deserialize(
                response.Content.ReadAsStringAsync().GetAwaiter().GetResult(), Reconciler.Planning.Serialization.PlanningJsonContext.Default.OverlaySnapshot);
            if (snapshot is null || snapshot.Node != node)
            {
                Console.Error.WriteLine($"The agent at {address} runs node '{snapshot?.Node}', not '{node}'; planning without its roles and health.");
                return null;
            }

            var roles = snapshot.Roles.Count == 0 ? "no VRRP instance" : string.Join(", ", snapshot.Roles.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} {r.Value.ToString().ToLowerInvariant()}"));
            Console.Error.WriteLine($"Roles and health from the agent at {address}: {roles}; {snapshot.Services.Count} service(s) with health overlays.");
            return snapshot;
        }
        catch (HttpRequestException e) when (e.InnerException is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused })
        {
            // No agent here (the common case off a director): plan as a one-shot command.
            return null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or IOException)
        {
            Console.Error.WriteLine($"The agent at {address} did not answer ({e.Message}); planning without its roles and health.");
            return null;
        }
    }

    /// <summary>The node named on the command line, else the one node whose address is configured on this host.</summary>
    public string? ResolveNode(ParseResult parse, TopologyModel topology)
    {
        if (parse.GetValue(Node) is { } name)
        {
            if (topology.FindNode(name) is null)
            {
                Terminal.Fail($"node '{name}' is not in the topology (nodes: {string.Join(", ", topology.Nodes.Select(n => n.Name))})");
                return null;
            }

            return name;
        }

        var local = LocalAddresses();
        var matches = topology.Nodes.Where(n => n.Addresses.Any(local.Contains)).ToList();
        if (matches.Count == 1)
        {
            return matches[0].Name;
        }

        var nodes = string.Join(", ", topology.Nodes.Select(n => $"{n.Name} ({string.Join(" ", n.Addresses)})"));
        Terminal.Fail(matches.Count == 0
            ? $"no node of the topology has an address on this host; pass --node (nodes: {nodes})"
            : $"several nodes have an address on this host ({string.Join(", ", matches.Select(m => m.Name))}); pass --node");
        return null;
    }

    private static HashSet<IPAddress> LocalAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .ToHashSet();
}
