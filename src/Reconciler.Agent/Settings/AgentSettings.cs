using System.Net;
using Reconciler.GitSource.Source;
using Reconciler.Scripts;

namespace Reconciler.Agent.Settings;

/// <summary>
/// The agent's own settings (not the topology): which node it is, where the topology lives, how often to look,
/// where to keep state and where to listen. Read by <see cref="AgentSettingsReader"/> from a JSON file, the
/// environment (<c>RECONCILER_</c>) and the command line, in that order of precedence (last wins).
/// </summary>
public sealed record AgentSettings
{
    public const string DefaultStateDirectory = "/var/lib/reconciler";

    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(15);

    public static readonly TimeSpan DefaultDriftInterval = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan DefaultMinReconcileInterval = TimeSpan.FromMilliseconds(250);

    public static readonly IPEndPoint DefaultEndpoint = new(IPAddress.Loopback, 9477);

    /// <summary>This node's name in the topology (default: the host name, as kube-proxy's --hostname-override).</summary>
    public required string Node { get; init; }

    public required RepositorySettings Repository { get; init; }

    /// <summary>How often the remote is asked whether the followed ref moved.</summary>
    public TimeSpan PollInterval { get; init; } = DefaultPollInterval;

    /// <summary>How often the live state is compared with the topology even when nothing triggered it.</summary>
    public TimeSpan DriftInterval { get; init; } = DefaultDriftInterval;

    /// <summary>Triggers closer together than this are coalesced into one reconcile (kube-proxy's minSyncPeriod).</summary>
    public TimeSpan MinReconcileInterval { get; init; } = DefaultMinReconcileInterval;

    /// <summary>Git cache, ownership record, audit journal, last good revision.</summary>
    public string StateDirectory { get; init; } = DefaultStateDirectory;

    /// <summary>The local HTTP endpoint (/healthz, /status, /metrics, POST /reconcile). Loopback unless configured.</summary>
    public IPEndPoint Endpoint { get; init; } = DefaultEndpoint;

    /// <summary>A file holding the bearer token every route but <c>/healthz</c> then requires. Required for an endpoint
    /// on anything but loopback.</summary>
    public string? EndpointTokenFile { get; init; }

    /// <summary>How commands from the topology run (exec checks, tracked scripts, notify hooks): their user, output
    /// cap and concurrency.</summary>
    public ScriptPolicy Scripts { get; init; } = new();

    /// <summary>Remove what the agent owns (IPVS services, VIPs, DR loopback addresses) when it stops. Off: a stop or
    /// restart leaves traffic flowing.</summary>
    public bool CleanupOnStop { get; init; }

    /// <summary>Allow a commit to remove more than the safety limit (or everything).</summary>
    public bool AllowMassRemoval { get; init; }

    /// <summary>Accept a new tip that does not descend from the last applied commit (a force-push to an older commit
    /// or a rewritten history). Off: such a tip is refused and the last good topology stays; one rewritten commit can
    /// be accepted with <c>reconciler agent accept-tip SHA</c>.</summary>
    public bool AllowNonFastForward { get; init; }

    /// <summary>How long a removed TCP real server drains before it is deleted.</summary>
    public TimeSpan DrainTimeout { get; init; } = Planning.PlannerOptions.DefaultDrainTimeout;

    /// <summary>How the log is written: one line of text per event (journald's form under systemd), or one JSON object
    /// per line for a log shipper.</summary>
    public LogFormat LogFormat { get; init; } = LogFormat.Text;

    public string OwnershipPath => Path.Combine(StateDirectory, "ownership.json");

    /// <summary>The git source's options for these settings.</summary>
    public GitSourceOptions ToGitSourceOptions() => new()
    {
        Url = Repository.Url,
        Branch = Repository.Branch,
        Path = Repository.Path,
        Rev = Repository.Rev,
        StateDirectory = StateDirectory,
        Credentials = Repository.TokenFile is null && Repository.TokenEnvironmentVariable is null && Repository.User is null
            ? null
            : new HttpsCredentials { User = Repository.User, TokenFile = Repository.TokenFile, TokenEnvironmentVariable = Repository.TokenEnvironmentVariable },
        Ssh = Repository.SshKeyFile is { } key ? new SshSettings(key, Repository.KnownHostsFile ?? "") : null,
        Safety = AllowMassRemoval ? SafetyLimit.Disabled : SafetyLimit.Default,
        AllowNonFastForward = AllowNonFastForward,
        Signatures = GitSource.Signing.SignaturePolicy.Of(Repository.AllowedSignersFile, Repository.GpgHome, Repository.GpgFingerprints),
    };
}

/// <summary>The agent's log lines: <see cref="Text"/> for people and journald, <see cref="Json"/> for machines.</summary>
public enum LogFormat
{
    /// <summary>One line per event; with systemd, journald's <c>&lt;6&gt;</c> priority prefixes and no colours.</summary>
    Text,

    /// <summary>One JSON object per line: Timestamp, EventId, LogLevel, Category, Message, State (the message's
    /// named values), Exception when there is one.</summary>
    Json,
}

/// <summary>Where the topology lives. Secrets are only ever named by file or environment variable.</summary>
public sealed record RepositorySettings
{
    public required string Url { get; init; }

    public string Branch { get; init; } = "main";

    /// <summary>The topology's folder (or file) inside the repository; empty: the root.</summary>
    public string Path { get; init; } = "";

    /// <summary>Pin a commit, tag or branch instead of following <see cref="Branch"/>.</summary>
    public string? Rev { get; init; }

    public string? User { get; init; }

    public string? TokenFile { get; init; }

    public string? TokenEnvironmentVariable { get; init; }

    public string? SshKeyFile { get; init; }

    public string? KnownHostsFile { get; init; }

    /// <summary>Apply only signed commits; SSH signatures verify against this allowed-signers file.</summary>
    public string? AllowedSignersFile { get; init; }

    /// <summary>Apply only signed commits; OpenPGP signatures verify against this gpg home's keyring (default: gpg's
    /// own), by <see cref="GpgFingerprints"/> only.</summary>
    public string? GpgHome { get; init; }

    /// <summary>The OpenPGP key fingerprints whose signatures are accepted (pinned: never any key of the keyring).</summary>
    public IReadOnlyList<string> GpgFingerprints { get; init; } = [];
}
