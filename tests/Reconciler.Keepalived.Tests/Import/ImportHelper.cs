using Reconciler.Keepalived.Import;
using Reconciler.Topology.Diagnostics;
using Reconciler.Topology.Model;
using TopologyModel = Reconciler.Topology.Model.Topology;

namespace Reconciler.Keepalived.Tests.Import;

internal static class ImportHelper
{
    public const string File = "k.conf";

    public const string MinimalInstance = """
        vrrp_instance VI_1 {
            interface eth0
            virtual_router_id 51
            virtual_ipaddress {
                10.0.0.100
            }
        }
        """;

    public static KeepalivedImportResult Run(string text) => KeepalivedImporter.ImportText(text, File, "lb1");

    public static TopologyModel TopologyOf(string text)
    {
        var result = Run(text);
        Assert.False(result.HasErrors, string.Join('\n', result.Diagnostics));
        return result.Topology!;
    }

    public static VrrpInstance Instance(string body) =>
        Assert.Single(TopologyOf("vrrp_instance VI_1 {\n" + body + "\n}").VrrpInstances);

    public static VirtualService Service(string body, string header = "10.0.0.100 80") =>
        Assert.Single(TopologyOf($"virtual_server {header} {{\n{body}\n}}").Services);

    public static RealServer RealServer(string body, string service = "") =>
        Assert.Single(Service(service + "\nreal_server 10.0.1.1 8080 {\n" + body + "\n}").RealServers);

    /// <summary>The check of the only real server (hoisted to the service when it is the only one).</summary>
    public static HealthCheck Check(string checker, string service = "", string realServer = "")
    {
        var vs = Service(service + "\nreal_server 10.0.1.1 8080 {\n" + realServer + "\n" + checker + "\n}");
        return vs.HealthCheckOf(Assert.Single(vs.RealServers))!;
    }

    public static Diagnostic Single(KeepalivedImportResult result, string code) =>
        Assert.Single(result.Diagnostics, d => d.Code == code);
}
