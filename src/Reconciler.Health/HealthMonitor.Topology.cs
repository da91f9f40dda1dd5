using Reconciler.Health.Checking;
using Reconciler.Health.Probes;
using Reconciler.Topology.Model;
using TopologyModel = Reconciler.Topology.Model.Topology;

namespace Reconciler.Health;

public sealed partial class HealthMonitor
{
    /// <summary>
    /// Follows a new topology. A (service, real server) whose effective check is unchanged keeps its running check,
    /// state and schedule, whatever else changed (weights, other servers, service settings); a changed check is
    /// replaced and inherits the server's current state (so a changed interval does not flap it); removed ones stop.
    /// Services bound to a VRRP instance this node has no part in are not checked here. Ignored after stop.
    /// </summary>
    public void Update(TopologyModel topology)
    {
        var changes = new List<HealthChange>();
        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }

            int added = 0, replaced = 0, removed = 0, kept = 0;
            var next = new Dictionary<string, ServiceEntry>();
            foreach (var service in topology.Services)
            {
                if (!AppliesHere(topology, service) || next.ContainsKey(service.Name))
                {
                    continue;
                }

                if (!_services.Remove(service.Name, out var entry))
                {
                    entry = new ServiceEntry(service.Name, service);
                }

                var previous = entry.Service;
                HashSet<RealServerEndpoint>? wereUnchecked = null;
                entry.Service = service;
                var old = entry.Servers;
                Dictionary<RealServerEndpoint, ServerEntry>? servers = null;
                foreach (var server in service.RealServers)
                {
                    var key = new RealServerEndpoint(server.Address, server.Port);
                    var check = service.HealthCheckOf(server);
                    if (check is null || servers?.ContainsKey(key) == true)
                    {
                        // No check: no entry; the snapshot reads it as configured. One that had a check loses it here.
                        if (check is null && old.Remove(key, out var unchecking))
                        {
                            replaced++;
                            Retire(unchecking);
                        }

                        continue;
                    }

                    var file = HealthCheckTarget.FileOf(topology, server, check);
                    if (old.Remove(key, out var serverEntry))
                    {
                        serverEntry.Server = server;
                        if (serverEntry.Check == check && serverEntry.File == file)
                        {
                            kept++;
                        }
                        else
                        {
                            replaced++;
                            ReplaceCheck(serverEntry, check, file);
                        }
                    }
                    else
                    {
                        // A server that was here without a check was up (present at its weight): its new check starts
                        // from there, as it always did; a new server starts as the options say.
                        wereUnchecked ??= previous.RealServers.Select(r => new RealServerEndpoint(r.Address, r.Port)).ToHashSet();
                        var wasUp = !ReferenceEquals(previous, service) && wereUnchecked.Contains(key);
                        serverEntry = new ServerEntry(entry, server, wasUp || (_options.InitialState == HealthInitialState.Up && !check.Alpha));
                        if (wasUp)
                        {
                            replaced++;
                        }
                        else
                        {
                            added++;
                        }

                        ReplaceCheck(serverEntry, check, file);
                    }

                    (servers ??= []).Add(key, serverEntry);
                }

                foreach (var gone in old.Values)
                {
                    removed += gone.Runner is null ? 0 : 1;
                    Retire(gone);
                }

                entry.Servers = servers ?? NoCheckedServers;
                next[service.Name] = entry;
            }

            foreach (var gone in _services.Values.SelectMany(s => s.Servers.Values))
            {
                removed += gone.Runner is null ? 0 : 1;
                Retire(gone);
            }

            _services = next;
            var now = _time.GetUtcNow();
            var version = _version + 1;
            foreach (var entry in next.Values)
            {
                Evaluate(entry, version, now, changes);
            }

            Publish(version, now, null);
            RescheduleRamp();
            if (_started)
            {
                Log.Updated(_logger, added, replaced, removed, kept);
            }
        }

        Raise(changes);
    }

    private bool AppliesHere(TopologyModel topology, VirtualService service) =>
        service.VrrpInstance is not { } name || topology.FindVrrpInstance(name)?.Priorities.ContainsKey(_node) == true;

    /// <summary>Gives the server <paramref name="check"/>, carrying its state over.</summary>
    private void ReplaceCheck(ServerEntry entry, HealthCheck check, FileTarget? file)
    {
        var confirmed = false;
        if (entry.Runner is { } old)
        {
            confirmed = old.Counter.IsConfirmed;
            _ = old.StopAsync();
            entry.Runner = null;
        }

        entry.Check = check;
        entry.File = file;
        if ((check.Kind != HealthCheckKind.Exec || check.Exec?.DynamicWeight != true) && check.Kind != HealthCheckKind.File)
        {
            entry.DynamicWeight = null;
        }

        var target = HealthCheckTarget.For(entry.Owner.Service, entry.Server, check) with { File = file };
        var probe = _probes.Create(target);
        var runner = new CheckRunner(entry, target, probe, new RiseFallCounter(check.Rise, check.Fall, entry.Up, confirmed),
            entry.DynamicWeight, this, _time, _options.ProbeGrace);
        if (probe is IWakingProbe waking)
        {
            waking.Wake = runner.Wake;
        }

        entry.Runner = runner;
        if (_started && !_stopped)
        {
            runner.Start(CheckSchedule.FirstDelay(check.Warmup, _random));
        }
    }

    private void Retire(ServerEntry entry)
    {
        if (entry.Runner is { } runner)
        {
            _ = runner.StopAsync();
            entry.Runner = null;
        }

        StopRamp(entry);
    }
}
