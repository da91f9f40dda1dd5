using Reconciler.Topology.Model;

namespace Reconciler.Topology.Validation.Rules;

/// <summary>
/// A policy rule the kernel takes: <c>from</c> and <c>to</c> of one family; a table for action table and only
/// there; a goto target for action goto and only there, above the rule's own priority (the kernel refuses a backward
/// goto, and a rule without a priority gets one the topology cannot know); a mask only with a mark; <c>track</c> only
/// on a VRRP instance's rule.
/// </summary>
public sealed class RoutingRuleRule : ITopologyRule
{
    public string Code => "routing-rule";

    public void Check(ValidationContext context)
    {
        foreach (var item in NetworkItems.Rules(context.Topology))
        {
            var rule = item.Item;
            if (rule.From is { } from && rule.To is { } to && from.Family != to.Family)
            {
                context.Error(Code, item.At("to"), $"to {NetworkText.Prefix(to)} is {RouteRule.Family(to.Family)} but from {NetworkText.Prefix(from)} is {RouteRule.Family(from.Family)}");
            }

            var action = rule.Action.ToString().ToLowerInvariant();
            if (rule.Action == RuleAction.Table && rule.Table is null)
            {
                context.Error(Code, item.Pointer, $"rule {NetworkText.RuleSelectors(rule)} looks up a table but names none; give table (or another action)");
            }
            else if (rule.Action != RuleAction.Table && rule.Table is not null)
            {
                context.Error(Code, item.At("table"), $"table is only for action table, and this rule's action is {action}; drop it");
            }

            if (rule.Action == RuleAction.Goto)
            {
                CheckGoto(context, item);
            }
            else if (rule.GotoPriority is not null)
            {
                context.Error(Code, item.At("goto"), $"goto is only for action goto, and this rule's action is {action}; drop it");
            }

            if (rule.FirewallMask is not null && rule.FirewallMark is null)
            {
                context.Error(Code, item.At("fwmask"), "fwmask without fwmark masks nothing; give fwmark too, or drop fwmask");
            }

            if (item.Instance is null && !rule.Track)
            {
                context.Error(Code, item.At("track"), "track is for a VRRP instance's rule: a node's static rules are always there; drop it");
            }
        }
    }

    private void CheckGoto(ValidationContext context, NetworkItem<IpRule> item)
    {
        var rule = item.Item;
        if (rule.GotoPriority is not { } target)
        {
            context.Error(Code, item.Pointer, $"rule {NetworkText.RuleSelectors(rule)} has action goto but no goto; give the priority it jumps to");
        }
        else if (rule.Priority is not { } priority)
        {
            context.Error(Code, item.At("goto"), $"a rule with goto needs its own priority, below {target} (the kernel refuses a goto backwards, and picks an unknown priority for a rule without one)");
        }
        else if (target <= priority)
        {
            context.Error(Code, item.At("goto"), $"goto {target} is not after the rule's own priority {priority}; the kernel jumps forward only");
        }
    }
}
