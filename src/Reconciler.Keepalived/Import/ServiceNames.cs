using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Reconciler.Topology.Model;

namespace Reconciler.Keepalived.Import;

/// <summary>Names for imported virtual services (keepalived has none): <c>tcp-192.168.1.120-80</c>,
/// <c>tcp-2001_db8__10-443</c> (':' is not allowed in names), <c>fwmark-7</c>, <c>fwmark-7-ipv6</c>.</summary>
internal static class ServiceNames
{
    public static string For(Protocol protocol, IPAddress? address, int? port, uint? mark, AddressFamily family)
    {
        if (mark is { } m)
        {
            return family == AddressFamily.InterNetworkV6
                ? string.Create(CultureInfo.InvariantCulture, $"fwmark-{m}-ipv6")
                : string.Create(CultureInfo.InvariantCulture, $"fwmark-{m}");
        }

        var proto = protocol.ToString().ToLowerInvariant();
        var host = address!.ToString().Replace(':', '_');
        return string.Create(CultureInfo.InvariantCulture, $"{proto}-{host}-{port}");
    }
}
