using Reconciler.GitSource.Diff;
using Reconciler.Topology.Loading;

namespace Reconciler.GitSource.Tests.Diff;

internal static class DiffFixtures
{
    public static TopologyLoadResult Load(string yaml) => TopologyLoader.LoadDocuments([new TopologyDocument("topology/lb.yaml", yaml)]);

    public static TopologyDiff DiffOf(string before, string after) => TopologyDiffer.Compare("1111111aaaaa", Load(before), "2222222bbbbb", Load(after));

    public static string Edit(string yaml, params (string Old, string New)[] edits)
    {
        foreach (var (old, @new) in edits)
        {
            Assert.Contains(old, yaml, StringComparison.Ordinal);
            yaml = yaml.Replace(old, @new, StringComparison.Ordinal);
        }

        return yaml;
    }

    /// <summary>A valid topology of <paramref name="count"/> services on one node, one real server each (every
    /// service warns: no VRRP instance carries its address).</summary>
    public static string Many(int count) => "nodes:\n  - name: lb1\n    addresses: [10.0.0.1]\nservices:\n" + string.Concat(Enumerable.Range(0, count).Select(i =>
        $"  - {{name: svc-{i:0000}, address: 10.1.{i / 250}.{(i % 250) + 1}, port: 80, realServers: [{{address: 10.2.0.1, port: 80}}]}}\n"));

    public static readonly (string, string) Weight = ("        weight: 5", "        weight: 10");

    public static readonly (string, string) AddRealServer = (
        "      - address: 10.0.0.12\n        port: 8080\n",
        "      - address: 10.0.0.12\n        port: 8080\n      - address: 10.0.0.13\n        port: 8080\n        weight: 3\n");

    public static readonly (string, string) MoveVipOut = ("virtualAddresses: [192.168.1.120, 192.168.1.122]", "virtualAddresses: [192.168.1.120]");

    public static readonly (string, string) MoveVipIn = ("virtualAddresses: [192.168.1.121]", "virtualAddresses: [192.168.1.121, 192.168.1.122]");

    public static readonly (string, string) Priority = ("priorities: {lb1: 100, lb2: 80}", "priorities: {lb1: 100, lb2: 90}");
}
