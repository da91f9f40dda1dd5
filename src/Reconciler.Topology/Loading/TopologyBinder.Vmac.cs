using Newtonsoft.Json.Linq;
using Reconciler.Topology.Model;

namespace Reconciler.Topology.Loading;

internal sealed partial class TopologyBinder
{
    /// <summary>An instance's <c>vmac</c>: <c>{}</c> takes keepalived's default name <c>vrrp.VRID</c>.</summary>
    private static VirtualMac? BindVmac(JObject json) =>
        json["vmac"] is JObject vmac
            ? new VirtualMac(
                Text(vmac, "name") ?? VirtualMac.DefaultName(Int(json, "virtualRouterId") ?? 0),
                Bool(vmac, "transmitBase") ?? false)
            : null;

    /// <summary>An instance's <c>virtualAddressLabels</c>, keyed by the address as <see cref="System.Net.IPAddress"/>
    /// writes it (so <c>2001:DB8::1</c> and <c>2001:db8::1</c> are one key).</summary>
    private ValueMap<string> VirtualAddressLabels(JObject json, string pointer)
    {
        var labels = new List<KeyValuePair<string, string>>();
        var mapPointer = JsonPointer.Append(pointer, "virtualAddressLabels");
        foreach (var (key, value) in Entries(json, "virtualAddressLabels"))
        {
            if (value.Type != JTokenType.String)
            {
                continue;
            }

            if (Address(key, JsonPointer.Append(mapPointer, key)) is { } address)
            {
                labels.Add(new KeyValuePair<string, string>(address.ToString(), (string)value!));
            }
        }

        return ValueMap<string>.Create(labels);
    }
}
