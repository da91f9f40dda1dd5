namespace Reconciler.GitSource.Signing;

/// <summary>
/// Which commits may be applied. Off by default. With <see cref="Required"/>, a commit is applied only when its
/// signature verifies: SSH signatures against <see cref="AllowedSignersFile"/> (git's <c>gpg.ssh.allowedSignersFile</c>
/// format), OpenPGP signatures with <c>gpg</c> against the keyring in <see cref="GpgHome"/> (and, when given, only
/// by one of <see cref="TrustedGpgFingerprints"/>).
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
}

/// <summary>The verdict on one commit's signature; <see cref="Signer"/> is the principal or key that signed.</summary>
public sealed record SignatureVerdict(bool Verified, string Detail, string? Signer = null)
{
    public static SignatureVerdict Fail(string detail) => new(false, detail);
}
