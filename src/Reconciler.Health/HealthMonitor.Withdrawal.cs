using System.Net;

namespace Reconciler.Health;

public sealed partial class HealthMonitor
{
    /// <summary>
    /// Takes the real servers at <paramref name="addresses"/> out at once, as a failed check would (the overlay's weight
    /// 0 or removal, with <paramref name="reason"/> in the plan, the status and the log), and leaves their return to
    /// their checks: <c>rise</c> good attempts bring each back, as after any failure. For a director that took over
    /// because its peer's adverts stopped: the peer's own real server is most likely dead with it, and its check would
    /// need <c>fall</c> failed attempts to say so. A real server without a check is left as it is (nothing would bring
    /// it back). Returns the real servers taken out, as <c>service/address:port</c>.
    /// </summary>
    public IReadOnlyList<string> Withdraw(IReadOnlyCollection<IPAddress> addresses, string reason)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var changes = new List<HealthChange>();
        var withdrawn = new List<string>();
        lock (_lock)
        {
            if (_stopped || addresses.Count == 0)
            {
                return [];
            }

            var now = _time.GetUtcNow();
            var version = _version + 1;
            var touched = new List<ServiceEntry>();
            foreach (var service in _services.Values)
            {
                var any = false;
                foreach (var entry in service.Servers.Values)
                {
                    if (entry.Runner is not { } runner || !entry.Up || !addresses.Contains(entry.Server.Address))
                    {
                        continue;
                    }

                    runner.RequestDown();
                    entry.Up = false;
                    entry.Since = now;
                    entry.Reason = reason;
                    entry.Detail = reason;
                    StopRamp(entry);
                    Metrics.RecordStateChange();
                    changes.Add(new HealthChange(version, now, HealthChangeKind.ServerDown, service.Name, entry.Server.Address, entry.Server.Port, reason, null));
                    withdrawn.Add($"{service.Name}/{entry.Endpoint}");
                    any = true;
                }

                if (any)
                {
                    Evaluate(service, version, now, changes);
                    touched.Add(service);
                }
            }

            if (touched.Count > 0)
            {
                Publish(version, now, touched);
                RescheduleRamp();
            }
        }

        Raise(changes);
        return withdrawn;
    }
}
