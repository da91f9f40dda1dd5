using Reconciler.Planning.Execution;

namespace Reconciler.Linux.Sysctl;

/// <summary>Kernel parameters through <c>/proc/sys</c> (the process's network namespace for <c>net.*</c>).</summary>
public sealed class ProcSysctls(string root = "/proc/sys") : INodeSysctls
{
    public string? Read(string name)
    {
        var path = PathOf(name);
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }

    public void Write(string name, string value) => File.WriteAllText(PathOf(name), value + "\n");

    private string PathOf(string name) => Path.Combine(root, name.Replace('.', '/'));
}
