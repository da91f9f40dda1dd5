using Reconciler.Topology.Model;
using Reconciler.Vrrp.Wire;

namespace Reconciler.Vrrp;

public sealed partial class VrrpRouter
{
    // Check name -> null (no result yet), true (up), false (down).
    private readonly Dictionary<string, bool?> _checkStates = new(StringComparer.Ordinal);

    // Tracked file name -> its value; null until the first read.
    private readonly Dictionary<string, int?> _fileValues = new(StringComparer.Ordinal);

    // Interface name -> up. Our own interface and the tracked ones; assumed up until told otherwise.
    private readonly Dictionary<string, bool> _interfaceStates = new(StringComparer.Ordinal);

    /// <summary>
    /// Reports a tracked check's state. Returns false (and does nothing) for a check this instance does not track.
    /// Re-evaluates priority and FAULT at once; a new priority goes out with the next advert.
    /// </summary>
    public bool SetCheckState(string name, bool up)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_lock)
        {
            using var scope = Enter();
            if (!_checkStates.ContainsKey(name))
            {
                return false;
            }

            _checkStates[name] = up;
            Evaluate();
            return true;
        }
    }

    /// <summary>
    /// Reports the value read from a tracked file (keepalived's <c>track_file</c>). Returns false (and does nothing)
    /// for a file this instance does not track. Re-evaluates priority and FAULT at once.
    /// </summary>
    public bool SetFileValue(string name, int value)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_lock)
        {
            using var scope = Enter();
            if (!_fileValues.ContainsKey(name))
            {
                return false;
            }

            _fileValues[name] = value;
            Evaluate();
            return true;
        }
    }

    /// <summary>
    /// Reports an interface's link state: our own interface (down means FAULT) or a tracked one. Returns false
    /// for any other interface.
    /// </summary>
    public bool SetInterfaceState(string name, bool up)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_lock)
        {
            using var scope = Enter();
            if (!_interfaceStates.ContainsKey(name))
            {
                return false;
            }

            _interfaceStates[name] = up;
            Evaluate();
            return true;
        }
    }

    private void InitializeTracking()
    {
        foreach (var check in Config.TrackedChecks)
        {
            if (check.IsFile)
            {
                _fileValues[check.Name] = null;
            }
            else
            {
                _checkStates[check.Name] = null;
            }
        }

        _interfaceStates[Config.Interface] = true;
        foreach (var tracked in Config.TrackedInterfaces)
        {
            _interfaceStates[tracked.Name] = true;
        }
    }

    /// <summary>
    /// keepalived's priority rule: a positive weight counts while its object is UP, a negative one while it is
    /// DOWN, a check without a result yet counts neither way; the sum is clamped to 1..254. The address owner's
    /// priority is never adjusted.
    /// </summary>
    private int ComputeEffectivePriority()
    {
        if (_standby)
        {
            return StandbyPriority;
        }

        if (Config.IsAddressOwner)
        {
            return VrrpConstants.VRRP_PRIORITY_OWNER;
        }

        var total = Config.Priority;
        foreach (var check in Config.TrackedChecks)
        {
            if (check.IsFile)
            {
                if (_fileValues[check.Name] is { } value)
                {
                    total += (int)TrackedFileValue.ForVrrp(value, check.Weight, check.Reverse).Offset;
                }
            }
            else if (_checkStates[check.Name] is { } up)
            {
                total += Contribution(check.Weight, up);
            }
        }

        foreach (var tracked in Config.TrackedInterfaces)
        {
            total += Contribution(tracked.Weight, _interfaceStates[tracked.Name]);
        }

        return Math.Clamp(total, 1, VrrpConstants.VRRP_PRIORITY_OWNER - 1);
    }

    private static int Contribution(int weight, bool up) => weight switch
    {
        > 0 when up => weight,
        < 0 when !up => weight,
        _ => 0,
    };

    /// <summary>FAULT while our interface, or a weight-0 tracked check or interface, is down (owners too).</summary>
    private bool IsFaulted()
    {
        if (!_interfaceStates[Config.Interface])
        {
            return true;
        }

        foreach (var check in Config.TrackedChecks)
        {
            if (check.IsFile
                ? _fileValues[check.Name] is { } value && TrackedFileValue.ForVrrp(value, check.Weight, check.Reverse).Fault
                : check.Weight == 0 && _checkStates[check.Name] == false)
            {
                return true;
            }
        }

        foreach (var tracked in Config.TrackedInterfaces)
        {
            if (tracked.Weight == 0 && !_interfaceStates[tracked.Name])
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A weight-0 check without a result holds the router in INITIALIZE (keepalived's script init state), and
    /// so does a tracked file not read yet (keepalived reads its files before it starts).</summary>
    private bool IsWaitingForChecks()
    {
        foreach (var check in Config.TrackedChecks)
        {
            if (check.IsFile ? _fileValues[check.Name] is null : check.Weight == 0 && _checkStates[check.Name] is null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Applies the consequences of any input change: new priority, FAULT entry or exit, startup.</summary>
    private void Evaluate()
    {
        var priority = ComputeEffectivePriority();
        if (priority != _effectivePriority)
        {
            ChangePriority(priority);
        }

        if (!_started || _state == VrrpState.Stopped)
        {
            return;
        }

        var faulted = IsFaultedInGroup();
        var faultReason = IsFaulted() ? VrrpTransitionReason.Fault : VrrpTransitionReason.SyncGroup;
        switch (_state)
        {
            case VrrpState.Initialize:
                if (faulted)
                {
                    EnterFault(faultReason);
                }
                else if (!IsWaitingInGroup())
                {
                    ComeUp(VrrpState.Initialize);
                }

                break;
            case VrrpState.Backup:
            case VrrpState.Master:
                if (faulted)
                {
                    EnterFault(faultReason);
                }

                break;
            case VrrpState.Fault:
                if (!faulted && !IsWaitingInGroup())
                {
                    ComeUp(VrrpState.Fault);
                }

                break;
        }

        ReportConditionToGroup();
    }

    /// <summary>
    /// A new effective priority. As BACKUP the skew changes with it, so the running master down timer moves by the
    /// difference (keepalived does the same); if that puts it in the past we take over now. As MASTER the next
    /// advert carries the new priority, and a better backup will preempt.
    /// </summary>
    private void ChangePriority(int priority)
    {
        var oldSkew = SkewTime();
        _effectivePriority = priority;
        if (_state != VrrpState.Backup || _masterDownTimer.Deadline is not { } deadline)
        {
            return;
        }

        var newDeadline = deadline + (SkewTime() - oldSkew);
        var remaining = newDeadline - _time.GetUtcNow();
        if (remaining <= TimeSpan.Zero)
        {
            _masterDownTimer.Stop();
            TakeOver(_nextMasterReason);
        }
        else
        {
            _masterDownTimer.Start(remaining);
        }
    }
}
