using Reconciler.Topology.Loading;

namespace Reconciler.Topology.Validation;

/// <summary>JSON pointers of model elements, matching the order the loader and the writer use.</summary>
internal static class Pointers
{
    public static string Node(int i, string? property = null) => Element("nodes", i, property);

    public static string Check(int i, string? property = null) => Element("checks", i, property);

    public static string Instance(int i, string? property = null) => Element("vrrpInstances", i, property);

    public static string SyncGroup(int i, string? property = null) => Element("vrrpSyncGroups", i, property);

    public static string Service(int i, string? property = null) => Element("services", i, property);

    public static string RealServer(int service, int i, string? property = null)
    {
        var pointer = JsonPointer.Append(Service(service, "realServers"), i);
        return property is null ? pointer : JsonPointer.Append(pointer, property);
    }

    public static string Item(string pointer, int i, string? property = null)
    {
        var item = JsonPointer.Append(pointer, i);
        return property is null ? item : JsonPointer.Append(item, property);
    }

    private static string Element(string section, int i, string? property)
    {
        var pointer = JsonPointer.Append(JsonPointer.Append(string.Empty, section), i);
        return property is null ? pointer : JsonPointer.Append(pointer, property);
    }
}
