using System.Globalization;

namespace Reconciler.GitSource.Source;

public enum UrlScheme
{
    /// <summary>An absolute local path or a <c>file://</c> URL.</summary>
    Local,
    Git,
    Https,
    Ssh,
}

/// <summary>
/// A repository URL checked strictly before it reaches libgit2 or a shell: only the schemes the agent supports,
/// no user info (credentials come from files), a plain host name or address, a port in range, a path of safe
/// characters (no quotes, spaces, <c>;|&amp;$`\</c>, no option-looking host, no <c>..</c> segments).
/// </summary>
public sealed record RepositoryUrl(UrlScheme Scheme, string Value, string? Host, int? Port, string Path)
{
    /// <summary>The text libgit2 gets (a local path stays a path).</summary>
    public override string ToString() => Value;

    public static RepositoryUrl Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0 || text.Length > 2048 || text.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            throw Invalid(text, "it is empty, too long or contains spaces or control characters");
        }

        if (text.StartsWith('/'))
        {
            CheckPath(text, text);
            return new RepositoryUrl(UrlScheme.Local, text, null, null, text);
        }

        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            throw Invalid(text, "use file://, git://, https://, ssh:// or an absolute path (scp-like user@host:path is not accepted)");
        }

        var scheme = text[..schemeEnd] switch
        {
            "file" => UrlScheme.Local,
            "git" => UrlScheme.Git,
            "https" => UrlScheme.Https,
            "ssh" => UrlScheme.Ssh,
            var other => throw Invalid(text, $"the scheme '{other}' is not supported (http:// is refused: use https://)"),
        };
        var rest = text[(schemeEnd + 3)..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash < 0 ? rest : rest[..slash];
        var path = slash < 0 ? "" : rest[slash..];
        CheckPath(text, path);
        if (scheme == UrlScheme.Local)
        {
            if (authority.Length != 0 && authority != "localhost")
            {
                throw Invalid(text, "a file:// URL cannot name a host");
            }

            if (path.Length == 0)
            {
                throw Invalid(text, "the path is empty");
            }

            return new RepositoryUrl(UrlScheme.Local, "file://" + path, null, null, path);
        }

        string? user = null;
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            user = authority[..at];
            authority = authority[(at + 1)..];
            if (scheme != UrlScheme.Ssh || user.Contains(':', StringComparison.Ordinal) || !IsName(user))
            {
                throw Invalid(Redact(text), "user info is not allowed in the URL (credentials come from a file or an environment variable)");
            }
        }

        var (host, port) = SplitHostPort(text, authority);
        if (path.Length <= 1)
        {
            throw Invalid(text, "the repository path is empty");
        }

        return new RepositoryUrl(scheme, text, host, port, path);
    }

    private static (string Host, int? Port) SplitHostPort(string text, string authority)
    {
        string host;
        string? portText = null;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || !System.Net.IPAddress.TryParse(authority[1..close], out _))
            {
                throw Invalid(text, "the IPv6 host is malformed");
            }

            host = authority[..(close + 1)];
            var after = authority[(close + 1)..];
            if (after.Length > 0)
            {
                portText = after.StartsWith(':') ? after[1..] : throw Invalid(text, "junk after the IPv6 host");
            }
        }
        else
        {
            var colon = authority.IndexOf(':', StringComparison.Ordinal);
            host = colon < 0 ? authority : authority[..colon];
            portText = colon < 0 ? null : authority[(colon + 1)..];
            if (host.Length == 0 || host.Length > 253 || host.StartsWith('-') || host.StartsWith('.')
                || !host.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.'))
            {
                throw Invalid(text, "the host must be a DNS name or an IP address");
            }
        }

        int? port = null;
        if (portText is not null)
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value is < 1 or > 65535)
            {
                throw Invalid(text, "the port must be 1..65535");
            }

            port = value;
        }

        return (host, port);
    }

    private static void CheckPath(string text, string path)
    {
        foreach (var c in path)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '-' or '_' or '~' or '+' or '@' or ':' or '%' or '='))
            {
                throw Invalid(text, $"the path contains '{c}' (allowed: letters, digits and / . - _ ~ + @ : % =)");
            }
        }

        if (path.Split('/').Any(segment => segment == ".."))
        {
            throw Invalid(text, "the path contains '..'");
        }

        if (path.StartsWith("/-", StringComparison.Ordinal) || path.StartsWith('-'))
        {
            throw Invalid(text, "the path looks like an option");
        }
    }

    private static bool IsName(string user) =>
        user.Length is > 0 and <= 64 && !user.StartsWith('-') && user.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>The URL with any user info removed, for messages.</summary>
    public static string Redact(string text)
    {
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            return text;
        }

        var start = schemeEnd + 3;
        var slash = text.IndexOf('/', start);
        var authorityEnd = slash < 0 ? text.Length : slash;
        var at = text.LastIndexOf('@', authorityEnd - 1, authorityEnd - start);
        return at < 0 ? text : string.Concat(text.AsSpan(0, start), "***@", text.AsSpan(at + 1));
    }

    private static GitSourceException Invalid(string text, string why) =>
        new(GitSourceError.Configuration, $"invalid repository URL '{Redact(text)}': {why}");
}
