using Reconciler.Health.Checking;
using Reconciler.Health.Metrics;
using Reconciler.Health.Probes;
using Reconciler.Planning.Desired;

namespace Reconciler.Health;

public sealed partial class HealthMonitor
{
    void ICheckSink.OnProbed(CheckRunner runner, in ProbeTiming timing, in ProbeResult result)
    {
        Metrics.RecordProbe(timing);
        _options.Observer?.OnProbe(timing);
        if (!result.Healthy)
        {
            var entry = (ServerEntry)runner.Owner;
            Log.ProbeFailed(_logger, runner.Target.Service, entry.Endpoint, result.Detail);
        }
    }

    void ICheckSink.OnDecided(CheckRunner runner, CheckDecision decision)
    {
        var changes = new List<HealthChange>();
        lock (_lock)
        {
            var entry = (ServerEntry)runner.Owner;
            if (_stopped || !ReferenceEquals(entry.Runner, runner))
            {
                return;
            }

            var now = _time.GetUtcNow();
            var version = _version + 1;
            var service = entry.Owner;
            var result = decision.Result;
            var weightMoved = false;
            if (result.Healthy && result.DynamicWeight != entry.DynamicWeight)
            {
                entry.DynamicWeight = result.DynamicWeight;
                weightMoved = true;
            }

            if (decision.StateChanged)
            {
                entry.Up = decision.Up;
                entry.Since = now;
                entry.Reason = decision.Up
                    ? $"{result.Detail}, {ProbeText.Ordinal(decision.Successes)} success"
                    : $"{result.Detail}, {ProbeText.Ordinal(decision.Failures)} failure";
                Metrics.RecordStateChange();
                if (decision.Up && entry.Check?.SlowStart is { } slow && slow.Duration > TimeSpan.Zero && entry.TargetWeight > 1)
                {
                    entry.RampStart = now;
                    entry.RampWeight = 1;
                    _ramping.Add(entry);
                }
                else
                {
                    StopRamp(entry);
                }

                changes.Add(new HealthChange(version, now, decision.Up ? HealthChangeKind.ServerUp : HealthChangeKind.ServerDown,
                    service.Name, entry.Server.Address, entry.Server.Port, entry.Reason, decision.Up ? EffectiveWeight(entry) : null));
            }
            else if (weightMoved && entry.Up)
            {
                Metrics.RecordWeightChange();
                changes.Add(new HealthChange(version, now, HealthChangeKind.WeightChanged, service.Name, entry.Server.Address,
                    entry.Server.Port, result.Detail, EffectiveWeight(entry)));
            }

            entry.Detail = result.Detail;
            Evaluate(service, version, now, changes);
            Publish(version, now, [service]);
            RescheduleRamp();
        }

        Raise(changes);
    }

    void ICheckSink.OnFailed(CheckRunner runner, Exception exception) =>
        Log.CheckFailed(_logger, exception, runner.Target.Service, runner.Target.Endpoint);

    private static int EffectiveWeight(ServerEntry entry) =>
        entry.RampStart is not null ? Math.Min(entry.RampWeight, entry.TargetWeight) : entry.TargetWeight;

    /// <summary>Rebuilds one service's view and applies quorum and sorry server; service-level changes go to
    /// <paramref name="changes"/>.</summary>
    private void Evaluate(ServiceEntry service, long version, DateTimeOffset now, List<HealthChange> changes)
    {
        long liveWeight = 0;
        var liveCount = 0;
        var inhibit = service.Service.InhibitOnFailure;
        // A service whose real servers have no check (most, in a big table) lists none: no list of its own.
        var statuses = service.Servers.Count == 0 ? null : new List<RealServerStatus>(service.Servers.Count);
        // A real server without a check has no entry: it is live at its configured weight (a validated topology lists
        // each real server of a service once).
        var uncheckedCount = 0;
        foreach (var server in service.Service.RealServers)
        {
            if (!service.Servers.ContainsKey(new RealServerEndpoint(server.Address, server.Port)))
            {
                liveWeight += server.Weight;
                liveCount++;
                uncheckedCount++;
            }
        }

        foreach (var entry in service.Servers.Values)
        {
            var state = entry.State;
            RealServerHealth overlay;
            if (state == RealServerState.Down)
            {
                var why = entry.Reason ?? "not yet checked";
                overlay = inhibit ? new RealServerHealth(true, 0, $"health: {why} (inhibited)") : new RealServerHealth(false, null, "health: " + why);
            }
            else
            {
                liveWeight += entry.TargetWeight;
                liveCount++;
                var weight = EffectiveWeight(entry);
                overlay = entry.RampStart is not null && weight < entry.TargetWeight
                    ? new RealServerHealth(true, weight, $"health: slow start: weight {weight} of {entry.TargetWeight}")
                    : entry.DynamicWeight is { } dynamic
                        ? new RealServerHealth(true, dynamic, $"health: dynamic weight {dynamic}: {entry.Detail}")
                        : RealServerHealth.Configured;
            }

            statuses!.Add(new RealServerStatus(entry.Server.Address, entry.Server.Port, state, overlay, entry.Server.Weight, entry.Detail, entry.Since));
        }

        var (quorumUp, health) = ServiceHealthRules.Evaluate(service.Service, service.QuorumUp, liveWeight, liveCount);
        var before = service.Health;
        if (before.Withdrawn != health.Withdrawn)
        {
            Metrics.RecordServiceChange();
            changes.Add(new HealthChange(version, now, health.Withdrawn ? HealthChangeKind.ServiceWithdrawn : HealthChangeKind.ServiceRestored,
                service.Name, null, null, health.Reason ?? $"quorum regained: live weight {liveWeight}"));
        }

        if (before.SorryServerActive != health.SorryServerActive)
        {
            Metrics.RecordServiceChange();
            changes.Add(new HealthChange(version, now,
                health.SorryServerActive ? HealthChangeKind.SorryServerActivated : HealthChangeKind.SorryServerDeactivated,
                service.Name, null, null, health.Reason ?? $"{liveCount} real servers live again, sorry server inactive"));
        }

        if (quorumUp != service.QuorumUp)
        {
            changes.Add(new HealthChange(version, now, quorumUp ? HealthChangeKind.QuorumRegained : HealthChangeKind.QuorumLost, service.Name, null, null,
                health.Reason ?? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"quorum {(quorumUp ? "regained" : "lost")}: live weight {liveWeight}")));
        }

        service.QuorumUp = quorumUp;
        service.Health = health;
        service.View = new ServiceStatus(service.Name, health, (IReadOnlyList<RealServerStatus>?)statuses ?? [], liveWeight, liveCount, uncheckedCount);
    }

    /// <summary>Swaps in a snapshot with the views of <paramref name="changed"/> replaced (null: rebuilt from all).</summary>
    private void Publish(long version, DateTimeOffset now, IEnumerable<ServiceEntry>? changed)
    {
        var snapshot = changed is null
            ? HealthSnapshot.Of(version, now, _services.Values.Select(s => s.View!))
            : _current.With(version, now, changed.Select(s => s.View!));
        _version = version;
        Volatile.Write(ref _current, snapshot);
    }

    private void StopRamp(ServerEntry entry)
    {
        entry.RampStart = null;
        _ramping.Remove(entry);
    }

    private void OnRampTimer()
    {
        var changes = new List<HealthChange>();
        lock (_lock)
        {
            if (_stopped || _ramping.Count == 0)
            {
                return;
            }

            var now = _time.GetUtcNow();
            var version = _version + 1;
            var touched = new HashSet<ServiceEntry>();
            foreach (var entry in _ramping.ToList())
            {
                var duration = entry.Check?.SlowStart?.Duration ?? TimeSpan.Zero;
                var elapsed = now - entry.RampStart!.Value;
                var weight = SlowStartRamp.WeightAt(entry.TargetWeight, duration, elapsed);
                if (weight >= entry.TargetWeight)
                {
                    StopRamp(entry);
                }

                if (weight != entry.RampWeight)
                {
                    entry.RampWeight = weight;
                    touched.Add(entry.Owner);
                    Metrics.RecordWeightChange();
                    changes.Add(new HealthChange(version, now, HealthChangeKind.WeightChanged, entry.Owner.Name, entry.Server.Address,
                        entry.Server.Port, $"slow start: weight {weight} of {entry.TargetWeight}", weight));
                }
            }

            if (touched.Count > 0)
            {
                foreach (var service in touched)
                {
                    Evaluate(service, version, now, changes);
                }

                Publish(version, now, touched);
            }

            RescheduleRamp();
        }

        Raise(changes);
    }

    /// <summary>Arms the ramp timer for the earliest next slow-start step (at most one step per minimum step).</summary>
    private void RescheduleRamp()
    {
        if (_rampTimer is null || _stopped)
        {
            return;
        }

        if (_ramping.Count == 0)
        {
            _rampTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        var now = _time.GetUtcNow();
        var earliest = DateTimeOffset.MaxValue;
        foreach (var entry in _ramping)
        {
            var start = entry.RampStart!.Value;
            var duration = entry.Check?.SlowStart?.Duration ?? TimeSpan.Zero;
            var elapsed = now - start;
            var step = SlowStartRamp.NextStep(entry.TargetWeight, duration, elapsed);
            var minimum = elapsed + _options.SlowStartMinimumStep;
            var at = start + (step < minimum && step < duration ? minimum : step);
            if (at < earliest)
            {
                earliest = at;
            }
        }

        var due = earliest - now;
        _rampTimer.Change(due > TimeSpan.Zero ? due : TimeSpan.FromTicks(1), Timeout.InfiniteTimeSpan);
    }
}
