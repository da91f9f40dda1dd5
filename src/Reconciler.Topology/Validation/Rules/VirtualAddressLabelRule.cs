using System.Net;
using System.Net.Sockets;
using Reconciler.Topology.Loading;

namespace Reconciler.Topology.Validation.Rules;

/// <summary>
/// Address labels (keepalived's <c>label</c>) the kernel keeps: each names one of the instance's virtual addresses,
/// an IPv4 one (IPv6 addresses have no label: the kernel ignores it), and is at most 15 characters without white
/// space. A label that does not begin with the name of the interface the address goes on (<c>eth0:1</c> on
/// <c>eth0</c>) is a warning: the kernel takes it, but <c>ip</c> and <c>ifconfig</c> users expect that form.
/// </summary>
public sealed class VirtualAddressLabelRule : ITopologyRule
{
    public string Code => "address-label";

    public void Check(ValidationContext context)
    {
        var instances = context.Topology.VrrpInstances;
        for (var i = 0; i < instances.Count; i++)
        {
            var instance = instances[i];
            foreach (var (key, label) in instance.VirtualAddressLabels)
            {
                var pointer = JsonPointer.Append(Pointers.Instance(i, "virtualAddressLabels"), key);
                if (!IPAddress.TryParse(key, out var address) || !instance.VirtualAddresses.Any(v => v.Address.Equals(address)))
                {
                    context.Error(Code, pointer, $"{key} is not one of the instance's virtualAddresses", atKey: true);
                    continue;
                }

                if (address.AddressFamily != AddressFamily.InterNetwork)
                {
                    context.Error(Code, pointer, $"{key} is an IPv6 address; only IPv4 addresses have labels", atKey: true);
                    continue;
                }

                if (label.Length is 0 or > 15 || label.Any(char.IsWhiteSpace))
                {
                    context.Error(Code, pointer, $"label '{label}' must have 1..15 characters and no white space");
                    continue;
                }

                foreach (var device in instance.Priorities.Keys.Select(instance.AddressInterfaceFor).Distinct(StringComparer.Ordinal))
                {
                    if (label != device && !label.StartsWith(device + ":", StringComparison.Ordinal))
                    {
                        context.Warning(Code, pointer, $"label '{label}' does not begin with '{device}:', the interface {key} goes on; the kernel takes it, but ip and ifconfig show labels as INTERFACE:NAME");
                    }
                }
            }
        }
    }
}
