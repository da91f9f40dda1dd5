using System.CommandLine;
using System.Net;
using System.Net.NetworkInformation;
using Reconciler.Cli.Output;
using Reconciler.Planning.Desired;
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

    public void AddTo(Command command)
    {
        command.Options.Add(Roles);
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

        foreach (var warning in result.Warnings)
        {
            Console.Error.WriteLine(warning.ToString());
        }

        return result.Topology;
    }

    /// <summary>The runtime overlay for a one-shot plan: the roles given with --role, no health information.</summary>
    public RuntimeOverlay? Overlay(ParseResult parse, TopologyModel topology)
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

        return new RuntimeOverlay(roles, NoHealthOverlay.Instance);
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
