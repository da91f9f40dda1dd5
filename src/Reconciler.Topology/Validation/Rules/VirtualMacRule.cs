using Reconciler.Topology.Loading;
using Reconciler.Topology.Model;

namespace Reconciler.Topology.Validation.Rules;

/// <summary>
/// A vmac (keepalived's <c>use_vmac</c>) the agent can create and own: a valid interface name of at most 15
/// characters, one instance's per node (two instances on one node cannot share a macvlan), and no interface the node
/// already has (listed in its <c>interfaces</c>, or the base of one of its instances): the agent deletes the vmac when
/// the instance stops, and must never delete an interface it did not create.
/// </summary>
public sealed class VirtualMacRule : ITopologyRule
{
    public string Code => "vmac";

    public void Check(ValidationContext context)
    {
        var instances = context.Topology.VrrpInstances;
        var owner = new Dictionary<(string Node, string Vmac), int>();
        for (var i = 0; i < instances.Count; i++)
        {
            var instance = instances[i];
            if (instance.Vmac is not { } vmac)
            {
                continue;
            }

            var pointer = Pointers.Instance(i, "vmac");
            if (WhyNotAName(vmac.Name) is { } why)
            {
                context.Error(Code, pointer, $"'{vmac.Name}' is not an interface name: {why}");
                continue;
            }

            foreach (var nodeName in instance.Priorities.Keys)
            {
                if (owner.TryGetValue((nodeName, vmac.Name), out var first))
                {
                    context.Error(Code, pointer, $"node {nodeName} already has vmac '{vmac.Name}' for instance {instances[first].Name}{context.FirstAt(Pointers.Instance(first, "vmac"))}; give this one another name");
                    continue;
                }

                owner[(nodeName, vmac.Name)] = i;
                if (context.Topology.FindNode(nodeName) is { } node && node.Interfaces.Contains(vmac.Name))
                {
                    context.Error(Code, pointer, $"node {nodeName} has an interface '{vmac.Name}' of its own; the agent creates and deletes the vmac, so name it otherwise");
                }

                var bases = instances.Where(other => other.Priorities.ContainsKey(nodeName)).Select(other => other.InterfaceFor(nodeName));
                if (bases.Contains(vmac.Name, StringComparer.Ordinal))
                {
                    context.Error(Code, pointer, $"'{vmac.Name}' is the interface a VRRP instance of node {nodeName} runs on; the vmac needs a name of its own");
                }
            }
        }
    }

    /// <summary>The kernel's dev_valid_name: 1..15 characters, not <c>.</c> or <c>..</c>, no <c>/</c>, <c>:</c> or white space.</summary>
    internal static string? WhyNotAName(string name)
    {
        if (name.Length is 0 or > VirtualMac.MaxNameLength)
        {
            return $"it must have 1..{VirtualMac.MaxNameLength} characters";
        }

        if (name is "." or "..")
        {
            return "'.' and '..' are not names";
        }

        return name.Any(c => c is '/' or ':' || char.IsWhiteSpace(c)) ? "it must not contain '/', ':' or white space" : null;
    }
}
