using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace Reconciler.Topology.Yaml;

/// <summary>
/// Plain-scalar resolution by the YAML 1.2 core schema (what yaml-language-server uses too), and the
/// writer's quoting, which is its mirror: a string is written plain only when reading it back plain
/// gives the same string.
/// </summary>
internal static partial class YamlScalars
{
    [GeneratedRegex(@"^(~|null|Null|NULL)?\z")]
    private static partial Regex NullPattern();

    [GeneratedRegex(@"^[-+]?[0-9]+\z")]
    private static partial Regex DecimalPattern();

    [GeneratedRegex(@"^0o[0-7]+\z")]
    private static partial Regex OctalPattern();

    [GeneratedRegex(@"^0x[0-9a-fA-F]+\z")]
    private static partial Regex HexPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\z")]
    private static partial Regex FloatPattern();

    [GeneratedRegex(@"^([-+]?\.(inf|Inf|INF)|\.nan|\.NaN|\.NAN)\z")]
    private static partial Regex SpecialFloatPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_./][A-Za-z0-9_./=+@-]*\z")]
    private static partial Regex SafePlainPattern();

    /// <summary>The JSON value of a plain (unquoted) scalar.</summary>
    public static JValue ResolvePlain(string text) => IsPlainlyString(text) ? new JValue(text) : ResolveByPatterns(text);

    /// <summary>The resolution by the core schema's patterns alone (what <see cref="ResolvePlain"/> shortcuts).</summary>
    internal static JValue ResolveByPatterns(string text)
    {
        if (NullPattern().IsMatch(text))
        {
            return JValue.CreateNull();
        }

        switch (text)
        {
            case "true" or "True" or "TRUE":
                return new JValue(true);
            case "false" or "False" or "FALSE":
                return new JValue(false);
        }

        if (DecimalPattern().IsMatch(text))
        {
            // Beyond 64 bits: decimal keeps the digits for messages (the schema validator cannot take a BigInteger).
            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? new JValue(number)
                : decimal.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var large) ? new JValue(large)
                : new JValue(double.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
        }

        if (OctalPattern().IsMatch(text) && text.Length <= 23)
        {
            return new JValue(Convert.ToInt64(text[2..], 8));
        }

        if (HexPattern().IsMatch(text) && text.Length <= 17)
        {
            return new JValue(long.Parse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
        }

        if (FloatPattern().IsMatch(text))
        {
            return new JValue(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
        }

        if (SpecialFloatPattern().IsMatch(text))
        {
            return new JValue(text.Contains("nan", StringComparison.OrdinalIgnoreCase) ? double.NaN
                : text.StartsWith('-') ? double.NegativeInfinity : double.PositiveInfinity);
        }

        return new JValue(text);
    }

    /// <summary>Decides, without the patterns, what they would for most scalars of a topology: names, keywords and
    /// addresses. No null, boolean or number starts with a letter other than n, t or f (either case), and none that
    /// starts with a digit has a colon or two dots (IPv4 and IPv6 addresses).</summary>
    private static bool IsPlainlyString(string text)
    {
        if (text.Length == 0)
        {
            return false;
        }

        var first = text[0];
        if (char.IsAsciiLetter(first))
        {
            return first is not ('n' or 'N' or 't' or 'T' or 'f' or 'F');
        }

        if (!char.IsAsciiDigit(first))
        {
            return false;
        }

        var span = text.AsSpan();
        var firstDot = span.IndexOf('.');
        return span.Contains(':') || (firstDot >= 0 && span[(firstDot + 1)..].Contains('.'));
    }

    /// <summary>YAML 1.1 booleans that 1.2 reads as strings; written quoted so no reader can take them for booleans.</summary>
    public static bool IsLegacyBoolean(string text) =>
        text.ToLowerInvariant() is "yes" or "no" or "on" or "off" or "y" or "n";

    /// <summary>A string as a YAML scalar: plain when that reads back as the same string, else double-quoted.</summary>
    public static string FormatString(string text)
    {
        if (SafePlainPattern().IsMatch(text) && ResolvePlain(text).Type == JTokenType.String && !IsLegacyBoolean(text))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 2);
        builder.Append('"');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[i + 1]);
                i++;
                continue;
            }

            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                default:
                    if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || c is '\u2028' or '\u2029' or '\uFEFF' or '\uFFFE' or '\uFFFF'
                        || char.IsSurrogate(c))
                    {
                        builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
        return builder.ToString();
    }

    public static string FormatInteger(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string FormatBoolean(bool value) => value ? "true" : "false";
}
