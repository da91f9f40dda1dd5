using System.Net.Sockets;
using Reconciler.Topology.Model;

namespace Reconciler.Topology.Validation.Rules;

/// <summary>
/// A route the kernel takes: its gateway and source of the destination's family; a unicast route with a gateway or an
/// interface (else there is nowhere to send), the other types with neither (they drop or answer, and the kernel
/// refuses a gateway on them); <c>track</c> only on a VRRP instance's route (a node's routes are always kept).
/// </summary>
public sealed class RouteRule : ITopologyRule
{
    public string Code => "route";

    public void Check(ValidationContext context)
    {
        foreach (var item in NetworkItems.Routes(context.Topology))
        {
            var route = item.Item;
            var family = Family(route.Destination.Family);
            if (route.Via is { } via && via.AddressFamily != route.Destination.Family)
            {
                context.Error(Code, item.At("via"), $"gateway {via} is {Family(via.AddressFamily)} but the destination {NetworkText.Destination(route.Destination)} is {family}");
            }

            if (route.Source is { } source && source.AddressFamily != route.Destination.Family)
            {
                context.Error(Code, item.At("src"), $"source {source} is {Family(source.AddressFamily)} but the destination {NetworkText.Destination(route.Destination)} is {family}");
            }

            if (route.Type == RouteType.Unicast && route.Via is null && route.Interface is null)
            {
                context.Error(Code, item.Pointer, $"route {NetworkText.Route(route)} has neither via nor dev: give the gateway or the interface, or a type (blackhole, unreachable, prohibit, throw)");
            }

            if (route.Type != RouteType.Unicast)
            {
                var type = route.Type.ToString().ToLowerInvariant();
                if (route.Via is not null)
                {
                    context.Error(Code, item.At("via"), $"a {type} route has no gateway (it forwards nothing); drop via");
                }

                if (route.Interface is not null)
                {
                    context.Error(Code, item.At("dev"), $"a {type} route has no interface (it forwards nothing); drop dev");
                }
            }

            if (item.Instance is null && !route.Track)
            {
                context.Error(Code, item.At("track"), "track is for a VRRP instance's route: a node's static routes are always there; drop it");
            }
        }
    }

    internal static string Family(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";
}
