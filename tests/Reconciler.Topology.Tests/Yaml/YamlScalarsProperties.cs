using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Newtonsoft.Json.Linq;
using Reconciler.Topology.Diagnostics;
using Reconciler.Topology.Loading;
using Reconciler.Topology.Yaml;

namespace Reconciler.Topology.Tests.Yaml;

public sealed class YamlScalarsProperties
{
    /// <summary>Any text: every input is well-formed UTF-16 (a lone surrogate is not text, and YAML cannot hold one),
    /// so every input is checked, astral characters (surrogate pairs) included.</summary>
    [Property(Arbitrary = [typeof(UnicodeArbitraries)], MaxTest = 1000)]
    public void FormatString_ReadsBackAsTheSameString(string text)
    {
        Assert.True(text.EnumerateRunes().Sum(r => r.Utf16SequenceLength) == text.Length, "the generator made a lone surrogate");

        Assert.Equal(text, ReadBack(YamlScalars.FormatString(text)));
    }

    [Property(Arbitrary = [typeof(Arbitraries)], MaxTest = 1000)]
    public void FormatString_ReadsBackYamlLikeText(string text) => Assert.Equal(text, ReadBack(YamlScalars.FormatString(text)));

    /// <summary>The shortcut for names and addresses decides as the core schema's patterns do.</summary>
    [Property(Arbitrary = [typeof(NumberLikeArbitraries)], MaxTest = 5000)]
    public void ResolvePlain_AnyText_SameAsThePatterns(string text) =>
        Assert.True(JToken.DeepEquals(YamlScalars.ResolveByPatterns(text), YamlScalars.ResolvePlain(text)), text);

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("2001:db8::1")]
    [InlineData("1.5")]
    [InlineData("1.5.")]
    [InlineData("1e3")]
    [InlineData("0x1F")]
    [InlineData("0o17")]
    [InlineData("web-1")]
    [InlineData("null")]
    [InlineData("No")]
    [InlineData("True")]
    [InlineData("false")]
    [InlineData("False")]
    [InlineData("FALSE")]
    [InlineData("TRUE")]
    [InlineData("true")]
    [InlineData("Null")]
    [InlineData("NULL")]
    [InlineData("~")]
    [InlineData("")]
    [InlineData(".inf")]
    [InlineData("-1")]
    [InlineData("1:2")]
    public void ResolvePlain_NamesNumbersAndAddresses_SameAsThePatterns(string text) =>
        Assert.True(JToken.DeepEquals(YamlScalars.ResolveByPatterns(text), YamlScalars.ResolvePlain(text)), text);

    private static string? ReadBack(string scalar)
    {
        var budget = TopologyLoaderOptions.Default.MaxNodes;
        var diagnostics = new List<Diagnostic>();
        var root = YamlJsonReader.Read("x.yaml", $"block: {scalar}\nflow: [{scalar}]\n", TopologyLoaderOptions.Default, diagnostics, ref budget);
        Assert.Empty(diagnostics);
        var block = (string?)root!["block"];
        Assert.Equal(block, (string?)((JArray)root["flow"]!)[0]);
        return block;
    }

    public static class UnicodeArbitraries
    {
        /// <summary>Strings of Unicode scalar values: mostly ASCII (controls included), then the rest of the Basic
        /// Multilingual Plane outside the surrogate range, then the astral planes (a surrogate pair each).</summary>
        public static Arbitrary<string> Text() => Arb.From(
            from length in Gen.Choose(0, 30)
            from scalars in Gen.ArrayOf(
                Gen.Frequency(
                    (6, Gen.Choose(0, 0x7F)),
                    (2, Gen.OneOf(Gen.Choose(0x80, 0xD7FF), Gen.Choose(0xE000, 0xFFFF))),
                    (1, Gen.Choose(0x10000, 0x10FFFF))),
                length)
            select string.Concat(scalars.Select(scalar => new Rune(scalar).ToString())));
    }

    /// <summary>Short strings of the characters numbers, nulls, booleans and addresses are made of.</summary>
    public static class NumberLikeArbitraries
    {
        public static Arbitrary<string> Text() => Arb.From(
            from length in Gen.Choose(0, 8)
            from chars in Gen.ArrayOf(Gen.Elements("0123456789..::eExXoO+-_nulLTrRfaFsNIi~ ".ToCharArray()), length)
            select new string(chars));
    }

    public static class Arbitraries
    {
        public static Arbitrary<string> Text() => Arb.From(Gen.OneOf(TopologyGenerators.Text(0, 20), TopologyGenerators.Name()));
    }
}
