using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Reconciler.Agent.Status;

/// <summary>
/// <c>GET /</c>: the status page for a person at a browser, one HTML file with its style and script inline
/// (<c>status.html</c>, embedded in the assembly, so the NativeAOT binary carries it). It holds no data: its script
/// reads <c>/status</c> every few seconds. It is served without the endpoint's bearer token (like <c>/healthz</c>), so a
/// browser can load it and ask for the token, which it keeps in the tab's sessionStorage and sends on its requests.
/// A Content-Security-Policy lets the page run only its own inline script and style (by hash) and talk only to the
/// agent: nothing from elsewhere can load, by construction.
/// </summary>
public static partial class StatusPage
{
    public const string ContentType = "text/html; charset=utf-8";

    private const string ResourceName = "Reconciler.Agent.Status.status.html";

    private static readonly Lazy<(byte[] Html, string Policy)> Page = new(Load);

    /// <summary>The page's bytes (UTF-8).</summary>
    public static ReadOnlyMemory<byte> Html => Page.Value.Html;

    /// <summary>The Content-Security-Policy it is served with: its own inline script and style by SHA-256, fetches to
    /// the agent only, nothing else.</summary>
    public static string ContentSecurityPolicy => Page.Value.Policy;

    /// <summary>Whether <paramref name="path"/> is the page's (<c>/</c>).</summary>
    public static bool IsPage(PathString path) => path.Equals("/", StringComparison.Ordinal);

    public static Task WriteAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.Response;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-cache";
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.ContentLength = Html.Length;
        return response.Body.WriteAsync(Html, context.RequestAborted).AsTask();
    }

    private static (byte[] Html, string Policy) Load()
    {
        using var stream = typeof(StatusPage).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the status page ({ResourceName}) is not embedded in the assembly");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        var html = memory.ToArray();
        var text = Encoding.UTF8.GetString(html);
        var policy = "default-src 'none'; " +
                     $"script-src {Hashes(ScriptElement().Matches(text))}; " +
                     $"style-src {Hashes(StyleElement().Matches(text))}; " +
                     "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        return (html, policy);

        static string Hashes(MatchCollection elements) => elements.Count == 0
            ? "'none'"
            : string.Join(' ', elements.Select(m => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(m.Groups[1].Value)))}'"));
    }

    [GeneratedRegex("<script>(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex ScriptElement();

    [GeneratedRegex("<style>(.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex StyleElement();
}
