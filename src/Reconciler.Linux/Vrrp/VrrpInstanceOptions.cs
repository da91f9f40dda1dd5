using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Scripts;
using Reconciler.Topology.Model;

namespace Reconciler.Linux.Vrrp;

/// <summary>How a <see cref="VrrpInstanceRunner"/> (or every instance of a <see cref="VrrpService"/>) runs.</summary>
public sealed record VrrpInstanceOptions
{
    /// <summary>This node's name (webhook payloads, logs).</summary>
    public string NodeName { get; init; } = Environment.MachineName;

    /// <summary>Run the sockets and rtnetlink in the network namespace at this path (<c>/run/netns/NAME</c>); null: the process's own.</summary>
    public string? NetworkNamespacePath { get; init; }

    /// <summary>Notify commands and webhook (the topology's <c>notify</c>).</summary>
    public VrrpNotify? Notify { get; init; }

    /// <summary>Definitions of the tracked checks the instance names (<c>vrrp_script</c>); each is run by a <see cref="VrrpCheckRunner"/>.</summary>
    public IReadOnlyList<TrackedCheck> Checks { get; init; } = [];

    /// <summary>Runs tracked checks and notify commands (the agent's one <see cref="Scripts.ScriptRunner"/>); none:
    /// they never run and say so.</summary>
    public IScriptRunner Scripts { get; init; } = NoScriptRunner.Instance;

    /// <summary>Tells tracked files' readers that a file was written; null: <see cref="Files.TrackedFileWatcher.Shared"/>.</summary>
    public Files.TrackedFileWatcher? Files { get; init; }

    /// <summary>How often link state (own interface and tracked ones) is read.</summary>
    public TimeSpan LinkPollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Bound on one notify command.</summary>
    public TimeSpan NotifyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Send gratuitous ARP / unsolicited NA (off only for tests).</summary>
    public bool SendAnnouncements { get; init; } = true;

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The agent's mail queue for <c>smtp_alert</c>-style mails; null: none are sent.</summary>
    public Reconciler.Scripts.Mail.MailAlerter? Mail { get; init; }

    /// <summary>For the webhook; one is created when null and a webhook is configured.</summary>
    public HttpClient? HttpClient { get; init; }
}
