using System.Text.RegularExpressions;
using Reconciler.Topology.Loading;

namespace Reconciler.Topology.Validation.Rules;

/// <summary>
/// Names are letters, digits, '_', '.', '-', starting with a letter or digit, at most 64 characters (the
/// schema says so for files; topologies built in code, such as imported ones, are checked here). Interface
/// names are what Linux accepts: 1..15 characters, no '/', ':' or whitespace.
/// </summary>
public sealed partial class InvalidNameRule : ITopologyRule
{
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\z")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[^/:\s]{1,15}\z")]
    private static partial Regex InterfacePattern();

    public string Code => "invalid-name";

    public void Check(ValidationContext context)
    {
        var topology = context.Topology;
        for (var i = 0; i < topology.Nodes.Count; i++)
        {
            CheckName(context, topology.Nodes[i].Name, Pointers.Node(i, "name"));
            for (var f = 0; f < topology.Nodes[i].Interfaces.Count; f++)
            {
                CheckInterface(context, topology.Nodes[i].Interfaces[f], Pointers.Item(Pointers.Node(i, "interfaces"), f));
            }
        }

        for (var i = 0; i < topology.Checks.Count; i++)
        {
            CheckName(context, topology.Checks[i].Name, Pointers.Check(i, "name"));
        }

        for (var i = 0; i < topology.VrrpInstances.Count; i++)
        {
            var instance = topology.VrrpInstances[i];
            CheckName(context, instance.Name, Pointers.Instance(i, "name"));
            CheckInterface(context, instance.Interface, Pointers.Instance(i, "interface"));
            foreach (var (node, name) in instance.InterfaceOverrides)
            {
                CheckInterface(context, name, JsonPointer.Append(Pointers.Instance(i, "interfaceOverrides"), node));
            }
        }

        for (var i = 0; i < topology.SyncGroups.Count; i++)
        {
            CheckName(context, topology.SyncGroups[i].Name, Pointers.SyncGroup(i, "name"));
        }

        for (var i = 0; i < topology.Services.Count; i++)
        {
            CheckName(context, topology.Services[i].Name, Pointers.Service(i, "name"));
        }
    }

    private void CheckName(ValidationContext context, string name, string pointer)
    {
        if (!NamePattern().IsMatch(name))
        {
            context.Error(Code, pointer, $"'{Escape(name)}' is not a valid name (letters, digits, '_', '.', '-', starting with a letter or digit, at most 64)");
        }
    }

    private void CheckInterface(ValidationContext context, string name, string pointer)
    {
        if (!InterfacePattern().IsMatch(name))
        {
            context.Error(Code, pointer, $"'{Escape(name)}' is not a valid interface name (1 to 15 characters, no '/', ':' or spaces)");
        }
    }

    private static string Escape(string text) => string.Concat(text.Select(c => char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString()));
}
