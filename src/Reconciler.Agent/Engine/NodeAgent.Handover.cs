using Reconciler.Planning.Storage;

namespace Reconciler.Agent.Engine;

/// <summary>
/// Maintenance handover (<c>reconciler handover</c>): this node's VRRP instances go on standby (priority 1: a
/// MASTER lets go with a priority-0 advert, every peer preempts it, and it takes over only when no peer advertises at
/// all), and stay there until resumed, across restarts of the agent: the set is kept in the state folder, since an
/// upgrade during maintenance restarts the agent and must not take the VIPs back mid-way.
/// </summary>
public sealed partial class NodeAgent
{
    private readonly Lock _standbyLock = new();
    private HashSet<string>? _standby;

    private string StandbyPath => Path.Combine(_settings.StateDirectory, "standby");

    /// <summary>The instances on standby, as kept in the state folder (one name per line).</summary>
    public IReadOnlyCollection<string> StandbyInstances
    {
        get
        {
            lock (_standbyLock)
            {
                return [.. LoadStandby()];
            }
        }
    }

    /// <summary>Puts <paramref name="instances"/> (every instance this node takes part in when empty) on standby;
    /// returns the instances on standby now. Throws <see cref="InvalidOperationException"/> when no topology is in
    /// force, <see cref="ArgumentException"/> for an instance this node takes no part in, <see cref="IOException"/>
    /// when the state folder cannot keep it (then nothing changed).</summary>
    public HandoverResult HandOver(IReadOnlyCollection<string> instances) => ChangeStandby(instances, standby: true);

    /// <summary>Takes <paramref name="instances"/> (every one on standby when empty) off standby.</summary>
    public HandoverResult Resume(IReadOnlyCollection<string> instances) => ChangeStandby(instances, standby: false);

    private HandoverResult ChangeStandby(IReadOnlyCollection<string> instances, bool standby)
    {
        ArgumentNullException.ThrowIfNull(instances);
        var topology = Revision?.Topology ?? throw new InvalidOperationException("no topology is in force yet: nothing to hand over");
        var mine = topology.VrrpInstances.Where(i => i.Priorities.ContainsKey(_settings.Node)).Select(i => i.Name).ToList();
        foreach (var name in instances)
        {
            if (!mine.Contains(name))
            {
                throw new ArgumentException($"node {_settings.Node} takes no part in VRRP instance '{name}' (it does in: {(mine.Count == 0 ? "none" : string.Join(", ", mine))})");
            }
        }

        lock (_standbyLock)
        {
            // A copy: kept only once saved, so a state folder that cannot be written changes nothing.
            var set = new HashSet<string>(LoadStandby(), StringComparer.Ordinal);
            var chosen = instances.Count > 0 ? [.. instances] : standby ? mine : [.. set];
            if (standby)
            {
                set.UnionWith(chosen);
            }
            else
            {
                set.ExceptWith(chosen);
            }

            SaveStandby(set);
            _standby = set;
            _vrrp?.SetStandby(chosen, standby);
            if (standby)
            {
                LogHandedOver(string.Join(", ", chosen));
            }
            else
            {
                LogResumed(string.Join(", ", chosen));
            }

            Trigger.Request(standby ? "handover" : "resume");
            return new HandoverResult(chosen, [.. set.Order(StringComparer.Ordinal)]);
        }
    }

    private HashSet<string> LoadStandby()
    {
        if (_standby is { } loaded)
        {
            return loaded;
        }

        try
        {
            _standby = File.Exists(StandbyPath)
                ? [.. File.ReadAllLines(StandbyPath).Select(l => l.Trim()).Where(l => l.Length > 0)]
                : [];
        }
        catch (IOException e)
        {
            RecordError("handover", $"{StandbyPath} cannot be read ({e.Message}): no instance is on standby");
            _standby = [];
        }

        return _standby;
    }

    private void SaveStandby(HashSet<string> set)
    {
        if (set.Count == 0)
        {
            File.Delete(StandbyPath);
            return;
        }

        StateFiles.EnsurePrivateFolder(_settings.StateDirectory);
        StateFiles.WriteAtomically(StandbyPath, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            foreach (var name in set.Order(StringComparer.Ordinal))
            {
                writer.Write(name + "\n");
            }
        });
    }
}

/// <summary>What a handover or resume changed (<see cref="Changed"/>) and which instances are on standby now.</summary>
public sealed record HandoverResult(IReadOnlyList<string> Changed, IReadOnlyList<string> Standby);
