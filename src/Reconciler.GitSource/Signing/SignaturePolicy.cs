namespace Reconciler.GitSource.Signing;

/// <summary>
/// Which commits may be applied. Off by default. With <see cref="Required"/>, a commit is applied only when its
/// signature verifies: SSH signatures against <see cref="AllowedSignersFile"/> (git's <c>gpg.ssh.allowedSignersFile</c>
/// format), OpenPGP signatures with <c>gpg</c> against the keyring in <see cref="GpgHome"/> (and, when given, only
/// only by one of <see cref="TrustedGpgFingerprints"/>: with none pinned, no OpenPGP signature verifies).
/// </summary>
public sealed record SignaturePolicy
{
    public static SignaturePolicy Off { get; } = new();

    public bool Required { get; init; }

    public string? AllowedSignersFile { get; init; }

    public string? GpgHome { get; init; }

    public IReadOnlyList<string> TrustedGpgFingerprints { get; init; } = [];

    /// <summary>Longest a verifier process may run.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    public string SshKeygen { get; init; } = "ssh-keygen";

    public string Gpg { get; init; } = "gpg";

    public static SignaturePolicy RequireSsh(string allowedSignersFile) => new() { Required = true, AllowedSignersFile = allowedSignersFile };

    /// <summary>The policy the settings name, for the CLI and the agent alike: off when no signer is given; else
    /// required, SSH signatures checked against <paramref name="allowedSignersFile"/> and OpenPGP ones against
    /// <paramref name="gpgHome"/>'s keyring, from <paramref name="gpgFingerprints"/> only (an OpenPGP signature
    /// with no pinned fingerprint is never accepted).</summary>
    public static SignaturePolicy Of(string? allowedSignersFile, string? gpgHome, IReadOnlyList<string> gpgFingerprints)
    {
        ArgumentNullException.ThrowIfNull(gpgFingerprints);
        return allowedSignersFile is null && gpgHome is null && gpgFingerprints.Count == 0
            ? Off
            : new SignaturePolicy { Required = true, AllowedSignersFile = allowedSignersFile, GpgHome = gpgHome, TrustedGpgFingerprints = gpgFingerprints };
    }

    /// <summary>Fingerprints as given in a setting: separated by commas or white space, upper-cased.</summary>
    public static IReadOnlyList<string> ParseFingerprints(string? text) => [.. SplitFingerprints(text).Select(f => f.ToUpperInvariant())];

    /// <summary>Fingerprints as given in a setting, separated by commas or white space, as written.</summary>
    public static IReadOnlyList<string> SplitFingerprints(string? text) =>
        text is null ? [] : text.Split([',', ' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>A v4 (40 hex digits) or v5 (64) OpenPGP fingerprint: a key id (8 or 16 digits) is too short to pin.</summary>
    public static bool IsFingerprint(string text) => text.Length is 40 or 64 && text.All(char.IsAsciiHexDigit);
}

/// <summary>The verdict on one commit's signature; <see cref="Signer"/> is the principal or key that signed.</summary>
public sealed record SignatureVerdict(bool Verified, string Detail, string? Signer = null)
{
    public static SignatureVerdict Fail(string detail) => new(false, detail);
}
