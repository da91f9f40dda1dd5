using Reconciler.Planning.Execution;

namespace Reconciler.Agent.Tests.Fakes;

/// <summary>/proc/sys as a dictionary; every write recorded, and a hook that runs before each one.</summary>
internal sealed class FakeSysctl : INodeSysctls
{
    public FakeSysctl(string arpIgnore = "0", string arpAnnounce = "0")
    {
        Values["net.ipv4.conf.all.arp_ignore"] = arpIgnore;
        Values["net.ipv4.conf.all.arp_announce"] = arpAnnounce;
    }

    public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

    public List<(string Name, string Value)> Writes { get; } = [];

    /// <summary>Runs before a write lands (to look at what was saved by then).</summary>
    public Action<string, string>? BeforeWrite { get; set; }

    public string? Read(string name) => Values.GetValueOrDefault(name);

    public void Write(string name, string value)
    {
        BeforeWrite?.Invoke(name, value);
        Writes.Add((name, value));
        Values[name] = value;
    }
}
