using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization;
using Reconciler.Ipvs;
using Reconciler.Topology.Model;

namespace Reconciler.Planning.Serialization;

/// <summary>
/// The one JSON setup for plans and ownership records: camelCase, enums as kebab-case strings, addresses as text,
/// service keys as objects (<c>{"family":"ipv4","protocol":"tcp","address":"10.0.0.1","port":80}</c> or
/// <c>{"family":"ipv4","firewallMark":7}</c>). This is the documented, stable form of <c>plan --json</c>.
/// </summary>
public static class PlanningJson
{
    /// <summary>The options of that form; their resolver is the source-generated <see cref="PlanningJsonContext"/>, so
    /// they serialize only the types it lists (no reflection: trimming and native AOT keep working).</summary>
    public static JsonSerializerOptions Options => PlanningJsonContext.Default.Options;

    internal sealed class IPAddressConverter : JsonConverter<IPAddress>
    {
        public override IPAddress Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            IPAddress.TryParse(reader.GetString(), out var address) ? address : throw new JsonException($"'{reader.GetString()}' is not an IP address");

        public override void Write(Utf8JsonWriter writer, IPAddress value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }

    internal sealed class InterfaceAddressConverter : JsonConverter<InterfaceAddress>
    {
        public override InterfaceAddress Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            InterfaceAddress.TryParse(reader.GetString() ?? "", out var address) ? address : throw new JsonException($"'{reader.GetString()}' is not ADDRESS/PREFIX");

        public override void Write(Utf8JsonWriter writer, InterfaceAddress value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }

    internal sealed class ServiceKeyConverter : JsonConverter<ServiceKey>
    {
        public override ServiceKey Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("a service key is an object");
            }

            string? family = null, protocol = null, address = null;
            uint mark = 0;
            ushort port = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "family": family = reader.GetString(); break;
                    case "protocol": protocol = reader.GetString(); break;
                    case "address": address = reader.GetString(); break;
                    case "port": port = reader.GetUInt16(); break;
                    case "firewallMark": mark = reader.GetUInt32(); break;
                    default: reader.Skip(); break;
                }
            }

            var addressFamily = family == "ipv6" ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
            if (mark != 0)
            {
                return ServiceKey.ForFirewallMark(addressFamily, mark);
            }

            if (!IPAddress.TryParse(address, out var ip) || !Enum.TryParse<IpvsProtocol>(protocol, ignoreCase: true, out var proto) || proto == IpvsProtocol.None)
            {
                throw new JsonException("a service key needs protocol and address, or firewallMark");
            }

            return ServiceKey.ForAddress(proto, ip, port);
        }

        public override void Write(Utf8JsonWriter writer, ServiceKey value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteString("family", value.Family == AddressFamily.InterNetworkV6 ? "ipv6" : "ipv4");
            if (value.IsFirewallMark)
            {
                writer.WriteNumber("firewallMark", value.FirewallMark);
            }
            else
            {
                writer.WriteString("protocol", value.Protocol.ToString().ToLowerInvariant());
                writer.WriteString("address", value.Address!.ToString());
                writer.WriteNumber("port", value.Port);
            }

            writer.WriteEndObject();
        }
    }
}
