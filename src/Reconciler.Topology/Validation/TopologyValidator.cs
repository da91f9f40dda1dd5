using Reconciler.Topology.Diagnostics;
using Reconciler.Topology.Loading;
using Reconciler.Topology.Validation.Rules;

namespace Reconciler.Topology.Validation;

/// <summary>
/// The semantic rules a schema cannot express. Runs every rule and returns every finding; warnings do not
/// make a topology invalid. Works on any topology, loaded or built in code (an importer's output); with a
/// source map the findings are located.
/// </summary>
public static class TopologyValidator
{
    public static IReadOnlyList<ITopologyRule> Rules { get; } =
    [
        new InvalidNameRule(),
        new DuplicateNameRule(),
        new DuplicateRealServerRule(),
        new DuplicateServiceRule(),
        new VirtualRouterIdRangeRule(),
        new VirtualRouterIdCollisionRule(),
        new PriorityRangeRule(),
        new UnknownNodeRule(),
        new UnknownInterfaceRule(),
        new UnknownCheckRule(),
        new UnknownVrrpInstanceRule(),
        new VrrpVersionRule(),
        new AdvertIntervalRule(),
        new PreemptDelayRule(),
        new AuthenticationRule(),
        new AddressFamilyRule(),
        new UnicastPeerMissingRule(),
        new PortRemapRule(),
        new WeightRangeRule(),
        new SchedulerRule(),
        new SchedulerFlagRule(),
        new TunnelSettingsRule(),
        new ThresholdOrderRule(),
        new PersistencePrefixRule(),
        new HealthCheckSettingsRule(),
        new UdpCheckRule(),
        new DnsCheckRule(),
        new SmtpCheckRule(),
        new TrackedFileRule(),
        new MailAlertsRule(),
        new ServiceAddressNotVirtualRule(),
        new IneffectiveTrackWeightRule(),
        new ConnectionSyncRule(),
        new VirtualMacRule(),
        new VirtualAddressLabelRule(),
        new SyncGroupMemberRule(),
        new SyncGroupSizeRule(),
        new SyncGroupNodesRule(),
        new SyncGroupAddressOwnerRule(),
        new SyncGroupMasterRule(),
        new SyncGroupTrackingWeightRule(),
        new SyncGroupTrackOverlapRule(),
        new RouteRule(),
        new RoutingRuleRule(),
        new DuplicateRouteRule(),
        new DuplicateRoutingRuleRule(),
        new StaticAddressRule(),
    ];

    public static IReadOnlyList<Diagnostic> Validate(Model.Topology topology, TopologySourceMap? sources = null)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var context = new ValidationContext(topology, sources);
        foreach (var rule in Rules)
        {
            rule.Check(context);
        }

        return context.Diagnostics;
    }

    /// <summary>True when the topology has no semantic errors (warnings allowed).</summary>
    public static bool IsValid(Model.Topology topology) => !Validate(topology).Any(d => d.IsError);
}
