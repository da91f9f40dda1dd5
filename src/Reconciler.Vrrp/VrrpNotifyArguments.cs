using System.Globalization;

namespace Reconciler.Vrrp;

/// <summary>
/// keepalived's notify script arguments: <c>TYPE NAME STATE PRIORITY</c>, TYPE being <c>INSTANCE</c> (or
/// <c>GROUP</c> for a sync group, whose PRIORITY is always 0), STATE one of <c>MASTER</c>, <c>BACKUP</c>,
/// <c>FAULT</c>, <c>STOP</c>, PRIORITY the effective priority. Existing notify scripts run unchanged.
/// </summary>
/// <remarks>
/// keepalived appends these four arguments only to the generic <c>notify</c> script (the topology's
/// <c>VrrpNotify.Any</c>); <c>notify_master</c>, <c>notify_backup</c>, <c>notify_fault</c> and <c>notify_stop</c>
/// run with just their own configured arguments. The STOP notify is sent for every instance on shutdown.
/// </remarks>
public static class VrrpNotifyArguments
{
    /// <summary>The STATE word keepalived passes, or null for a state it never notifies (INIT).</summary>
    public static string? StateName(VrrpState state) => state switch
    {
        VrrpState.Master => "MASTER",
        VrrpState.Backup => "BACKUP",
        VrrpState.Fault => "FAULT",
        VrrpState.Stopped => "STOP",
        _ => null,
    };

    /// <summary>The four arguments for an instance, or an empty list for a state that is not notified.</summary>
    public static IReadOnlyList<string> ForInstance(string instanceName, VrrpState state, int priority)
    {
        ArgumentNullException.ThrowIfNull(instanceName);
        var name = StateName(state);
        return name is null
            ? []
            : ["INSTANCE", instanceName, name, priority.ToString(CultureInfo.InvariantCulture)];
    }

    /// <summary>The four arguments for a sync group (keepalived passes priority 0), or an empty list for a state that
    /// is not notified.</summary>
    public static IReadOnlyList<string> ForGroup(string groupName, VrrpState state)
    {
        ArgumentNullException.ThrowIfNull(groupName);
        var name = StateName(state);
        return name is null ? [] : ["GROUP", groupName, name, "0"];
    }
}
