using System.Globalization;
using Reconciler.Planning.Desired;
using Reconciler.Topology.Model;

namespace Reconciler.Health;

/// <summary>
/// A service's health from its live real servers (pure), after keepalived's <c>update_quorum_state</c>:
/// quorum is lost when the live weight is 0 or below <c>minimum - hysteresis</c>, and regained when it reaches
/// <c>minimum + hysteresis</c> (in between, the previous state holds). On loss, a service with a sorry server
/// switches to it (keepalived's behaviour); one without is withdrawn from the kernel. A service with no quorum
/// configured is never withdrawn; its sorry server serves while no real server is live.
/// Live weight counts each live server at its target weight (dynamic, else configured), not its slow-start
/// ramp weight, so quorum does not flap while a server warms up.
/// </summary>
public static class ServiceHealthRules
{
    public static (bool QuorumUp, ServiceHealth Health) Evaluate(VirtualService service, bool quorumWasUp, long liveWeight, int liveCount)
    {
        if (service.Quorum is { } quorum)
        {
            var lost = liveWeight == 0 || liveWeight < quorum.Minimum - quorum.Hysteresis;
            var regained = liveWeight > 0 && liveWeight >= quorum.Minimum + quorum.Hysteresis;
            var up = quorumWasUp ? !lost : regained;
            if (up)
            {
                return (true, ServiceHealth.Normal);
            }

            var reason = string.Create(CultureInfo.InvariantCulture,
                $"quorum lost: live weight {liveWeight} of quorum {quorum.Minimum}{(quorum.Hysteresis > 0 ? $" ± {quorum.Hysteresis}" : "")}");
            return service.SorryServer is not null
                ? (false, new ServiceHealth(false, true, reason + ", sorry server active"))
                : (false, new ServiceHealth(true, false, reason + ", service withdrawn"));
        }

        if (liveCount == 0 && service.SorryServer is not null)
        {
            return (false, new ServiceHealth(false, true, "every real server is down, sorry server active"));
        }

        return (liveCount > 0, ServiceHealth.Normal);
    }
}
