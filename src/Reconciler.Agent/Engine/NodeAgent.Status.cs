using System.Diagnostics;
using Reconciler.Agent.Metrics;
using Reconciler.Agent.Status;
using Reconciler.GitSource.Source;
using Reconciler.Health;
using Reconciler.Vrrp;
using Reconciler.Planning.Desired;

namespace Reconciler.Agent.Engine;

/// <summary>/status and /metrics: snapshots, safe to take from any thread.</summary>
public sealed partial class NodeAgent
{
    public AgentStatus GetStatus()
    {
        var revision = Revision;
        var source = _edges.Source.Status;
        var rejected = Volatile.Read(ref _rejected);
        var vrrp = _vrrp?.GetStatus() ?? [];
        var health = _health?.Current;
        var kernel = Volatile.Read(ref _lastKernel);
        List<ErrorView> errors;
        lock (_lock)
        {
            errors = [.. _errors];
        }

        var repository = _settings.Repository;
        var sourceView = new SourceView(
            repository.Url,
            repository.Rev ?? repository.Branch,
            source.Condition.ToString(),
            revision is null ? null : View(revision.Commit),
            rejected is null ? null : View(rejected.Commit),
            rejected?.Reasons.ToList() ?? [],
            source.Message,
            source.NextAttemptAt,
            rejected is null ? null : AgentMetrics.KindLabel(rejected.Kind));
        var services = revision is null ? [] : Services(revision.Topology, health, kernel);
        return new AgentStatus(_settings.Node, _startedAt, _time.GetUtcNow(), sourceView, Volatile.Read(ref _lastReconcile), vrrp.Select(s => View(s) with { SyncsConnections = revision?.Topology.FindVrrpInstance(s.Instance)?.ConnectionSync is not null }).ToList(), services, errors)
        {
            Events = _events.Newest(),
        };
    }

    private static CommitView View(CommitInfo commit) => new(commit.Sha, commit.Subject, $"{commit.Author} <{commit.AuthorEmail}>", commit.CommitTime);

    private static VrrpView View(VrrpInstanceStatus s) => new(
        s.Instance, s.Interface, s.VirtualRouterId, s.Version, s.State.ToString().ToUpperInvariant(), VrrpRoles.RoleOf(s).ToString(),
        s.ConfiguredPriority, s.EffectivePriority, s.MasterAddress?.ToString(), s.LastTransition, s.LastReason?.ToString(),
        s.AdvertsSent, s.AdvertsReceived, s.Dropped,
        s.DropsByReason.ToDictionary(d => d.Key.ToString(), d => d.Value),
        s.Checks)
    {
        Standby = s.Standby,
        SyncGroup = s.SyncGroup,
        SyncGroupState = s.SyncGroupState?.ToString().ToUpperInvariant(),
        WantsMaster = s.WantsMaster,
    };

    private static List<ServiceView> Services(TopologyModel topology, HealthSnapshot? health, KernelWeights? kernel)
    {
        var services = new List<ServiceView>();
        foreach (var service in topology.Services)
        {
            var key = IpvsMapping.KeyOf(service);
            var inKernel = kernel?.Holds(key) == true;
            var status = health?.Services.GetValueOrDefault(service.Name);
            var servers = service.RealServers.Select(server =>
            {
                var checkedServer = status?.Find(server.Address, server.Port);
                var connections = kernel?.ConnectionsOf(key, server.Address, server.Port);
                return new RealServerView(
                    Topology.Model.VirtualService.FormatEndpoint(server.Address, server.Port),
                    server.Weight,
                    checkedServer is null ? server.Weight : checkedServer.Overlay.Present ? checkedServer.Overlay.Weight ?? server.Weight : null,
                    kernel?.WeightOf(key, server.Address, server.Port),
                    (checkedServer?.State ?? RealServerState.Unchecked).ToString().ToUpperInvariant(),
                    checkedServer?.Detail,
                    checkedServer?.Since)
                {
                    ActiveConnections = connections?.Active,
                    InactiveConnections = connections?.Inactive,
                };
            }).ToList();
            var serviceHealth = status?.Health;
            var healthText = serviceHealth is null ? null
                : serviceHealth.Withdrawn ? "withdrawn: " + serviceHealth.Reason
                : serviceHealth.SorryServerActive ? "sorry server: " + serviceHealth.Reason
                : "normal";
            services.Add(new ServiceView(service.Name, service.Endpoint, service.VrrpInstance, inKernel, healthText, servers));
        }

        return services;
    }

    /// <summary>Every metric of the agent, its health checker and its VRRP instances, in Prometheus text.</summary>
    public string WriteMetrics()
    {
        var writer = new PrometheusWriter();
        var written = WriteMetricsAsync(writer, send: null, CancellationToken.None);
        Debug.Assert(written.IsCompleted, "nothing to wait for without a sender");
        written.GetAwaiter().GetResult();
        return writer.ToString();
    }

    /// <summary>
    /// The same as UTF-8 handed to <paramref name="send"/> in pieces of about <see cref="PrometheusWriter.PieceBytes"/>
    /// as they are written (a scrape of 10,000 x 10 real servers is 16 MB: built whole, each one left tens of MB for
    /// the collector and grew the agent's resident size by about 50 MB).
    /// </summary>
    public async Task WriteMetricsAsync(Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> send, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(send);
        var writer = new PrometheusWriter();
        await WriteMetricsAsync(writer, send, cancellationToken).ConfigureAwait(false);
        await send(writer.Written, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask WriteMetricsAsync(PrometheusWriter writer, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask>? send, CancellationToken cancellationToken)
    {
        Metrics.WriteTo(writer);
        ProcessMetrics.WriteTo(writer);
        var revision = Revision;
        writer.Family("reconciler_applied_commit_info", "gauge", "The commit whose topology is in force (value 1).");
        if (revision is not null)
        {
            writer.Sample(1, ("commit", revision.Commit.Sha), ("node", _settings.Node));
        }

        writer.Family("reconciler_source_ready", "gauge", "1 when the last attempted revision is the one in force, 0 while a commit is refused or the server unreachable.")
            .Sample(_edges.Source.Status.Condition == SourceCondition.Ready ? 1 : 0);
        writer.Family("reconciler_reconcile_triggers_total", "counter", "Reconcile requests received, before coalescing.")
            .Sample(Trigger.Requests);

        WriteVrrpMetrics(writer, _vrrp?.GetStatus() ?? []);
        if (_health is { } health)
        {
            await WriteHealthMetricsAsync(writer, health, revision?.Topology, SendIfFullAsync).ConfigureAwait(false);
        }

        async ValueTask SendIfFullAsync()
        {
            if (send is not null && writer.IsFull)
            {
                await send(writer.Written, cancellationToken).ConfigureAwait(false);
                writer.Clear();
            }
        }
    }

    private static void WriteVrrpMetrics(PrometheusWriter writer, IReadOnlyList<VrrpInstanceStatus> instances)
    {
        writer.Family("reconciler_vrrp_state", "gauge", "VRRP state per instance (1 for the current state).");
        foreach (var instance in instances)
        {
            foreach (var state in Enum.GetValues<Vrrp.VrrpState>())
            {
                writer.Sample(instance.State == state ? 1 : 0, ("vrrp_instance", instance.Instance), ("state", state.ToString().ToUpperInvariant()));
            }
        }

        writer.Family("reconciler_vrrp_effective_priority", "gauge", "Priority advertised now (configured plus tracked weights).");
        foreach (var instance in instances)
        {
            writer.Sample(instance.EffectivePriority, ("vrrp_instance", instance.Instance));
        }

        writer.Family("reconciler_vrrp_adverts_sent_total", "counter", "VRRP adverts sent.");
        foreach (var instance in instances)
        {
            writer.Sample(instance.AdvertsSent, ("vrrp_instance", instance.Instance));
        }

        writer.Family("reconciler_vrrp_adverts_received_total", "counter", "VRRP adverts received and accepted.");
        foreach (var instance in instances)
        {
            writer.Sample(instance.AdvertsReceived, ("vrrp_instance", instance.Instance));
        }

        writer.Family("reconciler_vrrp_adverts_dropped_total", "counter", "VRRP packets dropped, by reason.");
        foreach (var instance in instances)
        {
            foreach (var (reason, count) in instance.DropsByReason)
            {
                writer.Sample(count, ("vrrp_instance", instance.Instance), ("reason", reason.ToString()));
            }
        }

        writer.Family("reconciler_vrrp_transitions_total", "counter", "VRRP state transitions.");
        foreach (var instance in instances)
        {
            writer.Sample(instance.Transitions, ("vrrp_instance", instance.Instance));
        }

        writer.Family("reconciler_vrrp_sync_group_state", "gauge", "VRRP sync group state as a whole (1 for the current state).");
        foreach (var group in instances.Where(i => i.SyncGroup is not null).DistinctBy(i => i.SyncGroup))
        {
            foreach (var state in Enum.GetValues<Vrrp.VrrpState>())
            {
                writer.Sample(group.SyncGroupState == state ? 1 : 0, ("vrrp_sync_group", group.SyncGroup!), ("state", state.ToString().ToUpperInvariant()));
            }
        }
    }

    /// <summary>The health checker's families, a series per real server of each service it follows (from
    /// <paramref name="topology"/>: one without a check is not in the snapshot, and is up at its configured weight);
    /// <paramref name="sendIfFull"/> after each real server's sample.</summary>
    private static async ValueTask WriteHealthMetricsAsync(PrometheusWriter writer, HealthMonitor health, TopologyModel? topology, Func<ValueTask> sendIfFull)
    {
        var snapshot = health.Current;
        var metrics = health.GetMetrics();
        writer.Family("reconciler_health_checks_total", "counter", "Health probes run, by kind and result.");
        foreach (var (kind, counters) in metrics.Probes)
        {
            var name = kind.ToString().ToUpperInvariant();
            writer.Sample(counters.Succeeded, ("kind", name), ("result", "success"));
            writer.Sample(counters.Failed, ("kind", name), ("result", "failure"));
        }

        writer.Family("reconciler_health_state_changes_total", "counter", "Real server up/down transitions.")
            .Sample(metrics.StateChanges);
        writer.Family("reconciler_real_server_up", "gauge", "1 when the real server's check passes (or it has none), 0 when it failed.");
        var followed = (topology?.Services ?? []).Where(service => snapshot.Services.ContainsKey(service.Name)).ToList();
        foreach (var service in followed)
        {
            var status = snapshot.Services[service.Name];
            foreach (var server in service.RealServers)
            {
                var state = status.Find(server.Address, server.Port)?.State ?? RealServerState.Unchecked;
                writer.Sample(state == RealServerState.Down ? 0 : 1, ("service", service.Name), ("real_server", Topology.Model.VirtualService.FormatEndpoint(server.Address, server.Port)));
                await sendIfFull().ConfigureAwait(false);
            }
        }

        writer.Family("reconciler_real_server_effective_weight", "gauge", "The weight the planner asks for (health overlay over the configured weight; absent when removed).");
        foreach (var service in followed)
        {
            var status = snapshot.Services[service.Name];
            foreach (var server in service.RealServers)
            {
                var overlay = status.Find(server.Address, server.Port)?.Overlay ?? RealServerHealth.Configured;
                if (overlay.Present)
                {
                    writer.Sample(overlay.Weight ?? server.Weight, ("service", service.Name), ("real_server", Topology.Model.VirtualService.FormatEndpoint(server.Address, server.Port)));
                    await sendIfFull().ConfigureAwait(false);
                }
            }
        }
    }
}
