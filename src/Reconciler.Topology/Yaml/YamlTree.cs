namespace Reconciler.Topology.Yaml;

/// <summary>The writer's document tree: scalars already formatted, collections in the order they are written.</summary>
internal abstract class YamlTree
{
    public const int Width = 100;

    /// <summary>The one-line flow form, or null when this node must be written in block style.</summary>
    public abstract string? Flow();
}
