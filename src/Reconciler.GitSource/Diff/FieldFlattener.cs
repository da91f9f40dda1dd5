using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Reconciler.Ipvs;
using Reconciler.Topology;
using Reconciler.Topology.Model;

namespace Reconciler.GitSource.Diff;

/// <summary>
/// Turns a record into <c>field.path -> text</c> pairs in the topology's spelling (durations as <c>6s</c>,
/// forwarding as <c>dr</c>, maps as <c>priorities.lb1</c>), so two versions compare field by field. Computed
/// properties are skipped (they follow from the others); lists of values print as <c>[a, b]</c>.
/// </summary>
internal static class FieldFlattener
{
    private static readonly HashSet<string> Secret = new(StringComparer.Ordinal) { "password" };

    /// <summary>The records the flattener descends into (the topology's, and the desired state's the per-node diff
    /// compares), each named with <c>typeof</c> so that trimming and native AOT keep their public properties. A test
    /// checks that every record these records hold is here too.</summary>
    private static readonly Dictionary<Type, PropertyInfo[]> Records = new()
    {
        [typeof(Topology.Model.Topology)] = PublicProperties<Topology.Model.Topology>(),
        [typeof(Node)] = PublicProperties<Node>(),
        [typeof(TrackedCheck)] = PublicProperties<TrackedCheck>(),
        [typeof(HealthCheck)] = PublicProperties<HealthCheck>(),
        [typeof(HttpCheck)] = PublicProperties<HttpCheck>(),
        [typeof(HttpUrl)] = PublicProperties<HttpUrl>(),
        [typeof(ExecCheck)] = PublicProperties<ExecCheck>(),
        [typeof(UdpCheck)] = PublicProperties<UdpCheck>(),
        [typeof(DnsCheck)] = PublicProperties<DnsCheck>(),
        [typeof(SmtpCheck)] = PublicProperties<SmtpCheck>(),
        [typeof(FileCheck)] = PublicProperties<FileCheck>(),
        [typeof(TrackedFile)] = PublicProperties<TrackedFile>(),
        [typeof(TrackedFileInit)] = PublicProperties<TrackedFileInit>(),
        [typeof(SlowStart)] = PublicProperties<SlowStart>(),
        [typeof(VrrpInstance)] = PublicProperties<VrrpInstance>(),
        [typeof(VrrpAuthentication)] = PublicProperties<VrrpAuthentication>(),
        [typeof(TrackedCheckReference)] = PublicProperties<TrackedCheckReference>(),
        [typeof(TrackedInterface)] = PublicProperties<TrackedInterface>(),
        [typeof(VrrpNotify)] = PublicProperties<VrrpNotify>(),
        [typeof(GratuitousArp)] = PublicProperties<GratuitousArp>(),
        [typeof(ConnectionSync)] = PublicProperties<ConnectionSync>(),
        [typeof(VirtualMac)] = PublicProperties<VirtualMac>(),
        [typeof(VrrpSyncGroup)] = PublicProperties<VrrpSyncGroup>(),
        [typeof(NodeNetwork)] = PublicProperties<NodeNetwork>(),
        [typeof(StaticAddress)] = PublicProperties<StaticAddress>(),
        [typeof(IpRoute)] = PublicProperties<IpRoute>(),
        [typeof(IpRule)] = PublicProperties<IpRule>(),
        [typeof(MailAlerts)] = PublicProperties<MailAlerts>(),
        [typeof(VirtualService)] = PublicProperties<VirtualService>(),
        [typeof(TunnelSettings)] = PublicProperties<TunnelSettings>(),
        [typeof(Persistence)] = PublicProperties<Persistence>(),
        [typeof(SorryServer)] = PublicProperties<SorryServer>(),
        [typeof(Quorum)] = PublicProperties<Quorum>(),
        [typeof(RealServer)] = PublicProperties<RealServer>(),
        [typeof(RealServerNotify)] = PublicProperties<RealServerNotify>(),
        [typeof(ServiceNotify)] = PublicProperties<ServiceNotify>(),
        [typeof(IpvsService)] = PublicProperties<IpvsService>(),
        [typeof(ServiceKey)] = PublicProperties<ServiceKey>(),
        [typeof(IpvsDestination)] = PublicProperties<IpvsDestination>(),
        [typeof(IpvsSyncDaemon)] = PublicProperties<IpvsSyncDaemon>(),
        [typeof(TopologyDiffer.VrrpParticipation)] = PublicProperties<TopologyDiffer.VrrpParticipation>(),
    };

    /// <summary>The record types <see cref="Flatten"/> can descend into.</summary>
    internal static IReadOnlyCollection<Type> RecordTypes => Records.Keys;

    private static PropertyInfo[] PublicProperties<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>() =>
        typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance);

    public static SortedDictionary<string, string> Flatten(object? value, params string[] skip)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (value is not null)
        {
            FlattenObject(value, "", result, skip);
        }

        return result;
    }

    public static bool IsSecret(string field) => Secret.Contains(field[(field.LastIndexOf('.') + 1)..]);

    private static void FlattenObject(object value, string prefix, SortedDictionary<string, string> into, string[] skip)
    {
        if (!Records.TryGetValue(value.GetType(), out var properties))
        {
            throw new NotSupportedException($"the topology diff cannot compare a {value.GetType().Name}: add it to {nameof(FieldFlattener)}.{nameof(Records)}");
        }

        foreach (var property in properties)
        {
            if (property.SetMethod is null || property.GetIndexParameters().Length > 0 || (prefix.Length == 0 && skip.Contains(property.Name)))
            {
                continue;
            }

            var name = prefix + char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
            Add(property.GetValue(value), name, into);
        }
    }

    private static void Add(object? value, string name, SortedDictionary<string, string> into)
    {
        switch (value)
        {
            case null:
                into[name] = "none";
                break;
            case string or IPAddress or InterfaceAddress or TimeSpan or Enum or Uri or bool or IFormattable:
                into[name] = Scalar(value);
                break;
            case IDictionary map:
                foreach (DictionaryEntry pair in map)
                {
                    Add(pair.Value, $"{name}.{pair.Key}", into);
                }

                break;
            case IEnumerable<KeyValuePair<string, int>> ints:
                foreach (var (key, item) in ints)
                {
                    into[$"{name}.{key}"] = Scalar(item);
                }

                break;
            case IEnumerable<KeyValuePair<string, string>> strings:
                foreach (var (key, item) in strings)
                {
                    into[$"{name}.{key}"] = item;
                }

                break;
            case IEnumerable list:
                var items = list.Cast<object?>().ToList();
                if (items.All(i => i is null or string or IPAddress or InterfaceAddress or TimeSpan or Enum or IFormattable))
                {
                    into[name] = "[" + string.Join(", ", items.Select(i => i is null ? "none" : Scalar(i))) + "]";
                }
                else
                {
                    into[name] = $"{items.Count} item(s)";
                    for (var i = 0; i < items.Count; i++)
                    {
                        Add(items[i], $"{name}[{i}]", into);
                    }
                }

                break;
            default:
                // A record whose every field is left to its default (connectionSync: {}) is there all the same: one
                // line, so that adding or removing it is a change.
                var fields = new SortedDictionary<string, string>(StringComparer.Ordinal);
                FlattenObject(value, name + ".", fields, []);
                if (fields.Values.All(v => v == "none"))
                {
                    into[name] = "{}";
                }
                else
                {
                    foreach (var (field, text) in fields)
                    {
                        into[field] = text;
                    }
                }

                break;
        }
    }

    public static string Scalar(object value) => value switch
    {
        string text => text,
        bool flag => flag ? "true" : "false",
        TimeSpan span => Durations.Format(span),
        AddressFamily family => family == AddressFamily.InterNetworkV6 ? "ipv6" : "ipv4",
        Forwarding forwarding => forwarding switch
        {
            Forwarding.DirectRouting => "dr",
            Forwarding.Tunnel => "tunnel",
            _ => "nat",
        },
        Enum other => Kebab(other.ToString()),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Kebab(string text)
    {
        var builder = new System.Text.StringBuilder();
        foreach (var c in text)
        {
            if (char.IsUpper(c) && builder.Length > 0 && builder[^1] is not ' ' and not ',')
            {
                builder.Append('-');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }
}
