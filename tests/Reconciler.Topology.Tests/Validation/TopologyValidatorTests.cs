using System.Text.RegularExpressions;
using Reconciler.Topology.Validation;

namespace Reconciler.Topology.Tests.Validation;

public sealed partial class TopologyValidatorTests
{
    [GeneratedRegex("^[a-z]+(-[a-z0-9]+)*$")]
    private static partial Regex KebabCase();

    [Fact]
    public void Rules_HaveUniqueKebabCaseCodes()
    {
        var codes = TopologyValidator.Rules.Select(r => r.Code).ToArray();

        Assert.Equal(codes.Length, codes.Distinct(StringComparer.Ordinal).Count());
        Assert.All(codes, code => Assert.Matches(KebabCase(), code));
    }

    [Fact]
    public void Rules_EachHaveATestClass()
    {
        var testClasses = typeof(TopologyValidatorTests).Assembly.GetTypes().Select(t => t.Name).ToHashSet(StringComparer.Ordinal);

        Assert.All(TopologyValidator.Rules, rule => Assert.Contains(rule.GetType().Name + "Tests", testClasses));
    }

    [Fact]
    public void Validate_Seed_GivesOnlyTheTrackWeightWarning()
    {
        var diagnostics = TopologyValidator.Validate(Samples.Seed);

        var warning = Assert.Single(diagnostics);
        Assert.Equal("ineffective-track-weight", warning.Code);
        Assert.True(TopologyValidator.IsValid(Samples.Seed));
    }

    [Fact]
    public void Validate_Empty_IsValid() => Assert.Empty(TopologyValidator.Validate(Topology.Model.Topology.Empty));
}
