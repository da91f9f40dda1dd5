using System.Net;

namespace Reconciler.Planning.Desired;

/// <summary>VRRP role of this node for one instance, as the planner needs it.</summary>
public enum VrrpRole
{
    /// <summary>Not known yet (the router has not settled): bound services stay as they are.</summary>
    Unknown,
    Backup,
    Master,
    Fault,
}

/// <summary>
/// Runtime facts layered over the topology without editing it: health results and VRRP roles.
/// Health never changes the configuration; it changes the effective weights the planner asks for.
/// </summary>
public sealed record RuntimeOverlay(IReadOnlyDictionary<string, VrrpRole> VrrpRoles, IHealthOverlay Health)
{
    /// <summary>No health information and no VRRP: every real server at its configured weight, every
    /// service present, no virtual addresses (the plan/apply CLI without an agent).</summary>
    public static RuntimeOverlay None { get; } = new(new Dictionary<string, VrrpRole>(), NoHealthOverlay.Instance);

    public VrrpRole RoleOf(string instance) => VrrpRoles.TryGetValue(instance, out var role) ? role : VrrpRole.Unknown;
}

/// <summary>What the health checker tells the planner about each real server and service.</summary>
public interface IHealthOverlay
{
    /// <summary>The runtime view of one real server of a service.</summary>
    RealServerHealth Get(string service, IPAddress address, int port);

    /// <summary>The runtime view of one service as a whole (quorum, sorry server).</summary>
    ServiceHealth GetService(string service);
}

/// <summary>Effective state of a real server: present at <see cref="Weight"/>, or absent.</summary>
/// <param name="Present">False when the server failed and its service does not inhibit on failure.</param>
/// <param name="Weight">Effective weight (0 when inhibited; ramping during slow start); null = configured weight.</param>
/// <param name="Reason">Why it differs from the configuration, for plans and logs.</param>
public sealed record RealServerHealth(bool Present, int? Weight, string? Reason)
{
    public static RealServerHealth Configured { get; } = new(true, null, null);
}

/// <summary>Service-level health: <see cref="Withdrawn"/> when quorum is lost (the whole service leaves the
/// kernel), <see cref="SorryServerActive"/> when every real server is down and the sorry server serves.</summary>
public sealed record ServiceHealth(bool Withdrawn, bool SorryServerActive, string? Reason)
{
    public static ServiceHealth Normal { get; } = new(false, false, null);
}

public sealed class NoHealthOverlay : IHealthOverlay
{
    public static NoHealthOverlay Instance { get; } = new();

    private NoHealthOverlay()
    {
    }

    public RealServerHealth Get(string service, IPAddress address, int port) => RealServerHealth.Configured;

    public ServiceHealth GetService(string service) => ServiceHealth.Normal;
}
