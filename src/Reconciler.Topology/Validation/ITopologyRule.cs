namespace Reconciler.Topology.Validation;

/// <summary>One semantic rule. <see cref="Code"/> is stable: tools and tests match on it.</summary>
public interface ITopologyRule
{
    string Code { get; }

    void Check(ValidationContext context);
}
