using System.Security.Cryptography;
using System.Text;

namespace Reconciler.Agent.Hosting;

/// <summary>
/// The endpoint's bearer token: read from a file (never the command line), checked in constant time. The agent
/// requires it on every route but <c>/healthz</c> when configured; the CLI sends it with <c>--endpoint-token-file</c>.
/// </summary>
public sealed class EndpointToken
{
    public const string Scheme = "Bearer ";

    private readonly byte[] _digest;

    private EndpointToken(string token)
    {
        Value = token;
        _digest = SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    /// <summary>For the CLI's Authorization header.</summary>
    public string Value { get; }

    /// <summary>The token in <paramref name="path"/> (surrounding whitespace and the final newline dropped); an
    /// <see cref="IOException"/> names the file when it cannot be read or holds no token.</summary>
    public static EndpointToken Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"endpoint token file {path}: {e.Message}", e);
        }

        if (text.Length == 0)
        {
            throw new IOException($"endpoint token file {path} is empty: write a token in it (e.g. openssl rand -hex 32)");
        }

        if (text.Any(char.IsWhiteSpace))
        {
            throw new IOException($"endpoint token file {path} holds whitespace inside the token: one token, one line");
        }

        return new EndpointToken(text);
    }

    /// <summary>Whether an <c>Authorization</c> header carries this token. Both sides are hashed first, so the
    /// comparison takes the same time whatever the presented value's length or content.</summary>
    public bool Accepts(string? authorization)
    {
        var presented = authorization is not null && authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            ? authorization[Scheme.Length..].Trim()
            : "";
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        return CryptographicOperations.FixedTimeEquals(digest, _digest) & presented.Length > 0;
    }
}
