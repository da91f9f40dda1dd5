namespace Reconciler.Planning.Execution;

/// <summary>The node's kernel parameters (<c>/proc/sys</c> on Linux, per network namespace for <c>net.*</c>).</summary>
public interface INodeSysctls
{
    /// <summary>The parameter's value, or null when the node has no such parameter.</summary>
    string? Read(string name);

    void Write(string name, string value);
}

/// <summary>For commands and tests that manage no kernel parameters: reads none, writes none.</summary>
public sealed class NoNodeSysctls : INodeSysctls
{
    public static NoNodeSysctls Instance { get; } = new();

    private NoNodeSysctls()
    {
    }

    public string? Read(string name) => null;

    public void Write(string name, string value) =>
        throw new InvalidOperationException($"no kernel parameter manager: cannot set {name} to {value}");
}
