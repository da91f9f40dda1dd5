using System.Net;
using System.Reflection;
using Reconciler.GitSource.Diff;
using Reconciler.Ipvs;
using Reconciler.Topology.Model;

namespace Reconciler.GitSource.Tests.Diff;

/// <summary>The flattener names the records it descends into (so that native AOT keeps their properties): one it
/// does not know would fail the diff at run time, so every record the compared ones hold must be among them.</summary>
public sealed class FieldFlattenerTests
{
    [Theory]
    [InlineData(typeof(Node))]
    [InlineData(typeof(TrackedCheck))]
    [InlineData(typeof(VrrpInstance))]
    [InlineData(typeof(VrrpSyncGroup))]
    [InlineData(typeof(VirtualService))]
    [InlineData(typeof(RealServer))]
    [InlineData(typeof(IpvsService))]
    [InlineData(typeof(IpvsDestination))]
    [InlineData(typeof(TopologyDiffer.VrrpParticipation))]
    public void ComparedRecord_IsKnown(Type compared) => Assert.Contains(compared, FieldFlattener.RecordTypes);

    [Fact]
    public void KnownRecords_HoldOnlyScalarsCollectionsAndOtherKnownRecords()
    {
        var known = FieldFlattener.RecordTypes.ToHashSet();
        var unknown = new List<string>();
        foreach (var record in known)
        {
            foreach (var property in record.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is not null && p.GetIndexParameters().Length == 0))
            {
                unknown.AddRange(Leaves(property.PropertyType).Where(t => !IsScalar(t) && !known.Contains(t)).Select(t => $"{record.Name}.{property.Name}: {t.Name}"));
            }
        }

        Assert.Empty(unknown);
    }

    [Fact]
    public void Flatten_HttpCheckWithMoreUrls_NamesEachUrlsFields()
    {
        var http = new HttpCheck("/", [200], null, null, true) { MoreUrls = [new HttpUrl("/health", [200, 204], null, "h.example")] };

        var fields = FieldFlattener.Flatten(http);

        Assert.Equal("1 item(s)", fields["moreUrls"]);
        Assert.Equal("/health", fields["moreUrls[0].path"]);
        Assert.Equal("[200, 204]", fields["moreUrls[0].expectedStatus"]);
        Assert.Equal("none", fields["moreUrls[0].bodyDigest"]);
        Assert.Equal("h.example", fields["moreUrls[0].host"]);
    }

    private static IEnumerable<Type> Leaves(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsGenericType && type.GetInterfaces().Any(i => i == typeof(System.Collections.IEnumerable))
            ? type.GetGenericArguments().SelectMany(Leaves)
            : [type];
    }

    private static bool IsScalar(Type type) =>
        type == typeof(string) || type == typeof(IPAddress) || type == typeof(InterfaceAddress) || type == typeof(TimeSpan) || type == typeof(Uri)
        || type == typeof(bool) || type.IsEnum || typeof(IFormattable).IsAssignableFrom(type);
}
