using System.Diagnostics;
using System.Text;
using LibGit2Sharp;
using Reconciler.GitSource.Native;

namespace Reconciler.GitSource.Signing;

/// <summary>
/// Verifies a commit's signature outside libgit2, as git does: libgit2 gives the signature and the signed
/// bytes; SSH signatures go to <c>ssh-keygen -Y find-principals</c> then <c>-Y verify</c> (namespace
/// <c>git</c>, signed bytes on stdin); OpenPGP ones to <c>gpg --verify</c> with <c>--status-fd</c>.
/// </summary>
public sealed class SignatureVerifier(SignaturePolicy policy)
{
    public SignatureVerdict Verify(Repository repository, ObjectId commit)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var extracted = Libgit2Native.ExtractSignature(repository, commit);
        if (extracted is not { } info || string.IsNullOrEmpty(info.Signature))
        {
            return SignatureVerdict.Fail("the commit is not signed");
        }

        var signedBytes = info.SignedData;
        if (info.Signature.Contains("-----BEGIN SSH SIGNATURE-----", StringComparison.Ordinal))
        {
            return VerifySsh(info.Signature, signedBytes);
        }

        if (info.Signature.Contains("-----BEGIN PGP SIGNATURE-----", StringComparison.Ordinal))
        {
            return VerifyGpg(info.Signature, signedBytes);
        }

        return SignatureVerdict.Fail("the signature format is not supported (only SSH and OpenPGP are)");
    }

    private SignatureVerdict VerifySsh(string signature, byte[] signedBytes)
    {
        if (policy.AllowedSignersFile is null || !File.Exists(policy.AllowedSignersFile))
        {
            return SignatureVerdict.Fail($"SSH-signed, but the allowed signers file '{policy.AllowedSignersFile}' does not exist");
        }

        using var temp = new TempFile(signature);
        var find = ProcessRunner.Run(policy.SshKeygen, ["-Y", "find-principals", "-f", policy.AllowedSignersFile, "-s", temp.Path], [], policy.Timeout);
        var principal = find.ExitCode == 0 ? find.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() : null;
        if (string.IsNullOrEmpty(principal))
        {
            return SignatureVerdict.Fail("SSH signature by a key that is not in the allowed signers file");
        }

        var verify = ProcessRunner.Run(
            policy.SshKeygen,
            ["-Y", "verify", "-f", policy.AllowedSignersFile, "-I", principal, "-n", "git", "-s", temp.Path],
            signedBytes,
            policy.Timeout);
        var detail = FirstLine(verify.Stdout) ?? FirstLine(verify.Stderr) ?? $"ssh-keygen exited with {verify.ExitCode}";
        return verify.ExitCode == 0
            ? new SignatureVerdict(true, detail, principal)
            : SignatureVerdict.Fail($"bad SSH signature: {detail}");
    }

    private SignatureVerdict VerifyGpg(string signature, byte[] signedBytes)
    {
        if (policy.TrustedGpgFingerprints.Count == 0)
        {
            // Any key of a keyring is not a trust decision: the keyring may hold keys imported for other reasons.
            return SignatureVerdict.Fail("OpenPGP-signed, but no pinned fingerprint is configured: OpenPGP signatures are accepted only from pinned key fingerprints");
        }

        using var temp = new TempFile(signature);
        var arguments = new List<string>();
        if (policy.GpgHome is not null)
        {
            arguments.AddRange(["--homedir", policy.GpgHome]);
        }

        arguments.AddRange(["--batch", "--no-tty", "--status-fd", "1", "--verify", temp.Path, "-"]);
        var result = ProcessRunner.Run(policy.Gpg, arguments, signedBytes, policy.Timeout);
        var lines = result.Stdout.Split('\n');
        var valid = lines.FirstOrDefault(l => l.StartsWith("[GNUPG:] VALIDSIG ", StringComparison.Ordinal));
        if (result.ExitCode != 0 || valid is null || !lines.Any(l => l.StartsWith("[GNUPG:] GOODSIG ", StringComparison.Ordinal)))
        {
            return SignatureVerdict.Fail($"bad or unknown OpenPGP signature: {FirstLine(result.Stderr) ?? "gpg failed"}");
        }

        var fields = valid.Split(' ');
        var fingerprint = fields.Length > 2 ? fields[2] : "";
        var primary = fields.Length > 11 ? fields[11] : fingerprint;
        if (!policy.TrustedGpgFingerprints.Any(f => string.Equals(f, fingerprint, StringComparison.OrdinalIgnoreCase) || string.Equals(f, primary, StringComparison.OrdinalIgnoreCase)))
        {
            return SignatureVerdict.Fail($"OpenPGP signature by {fingerprint}, which is not a trusted fingerprint");
        }

        return new SignatureVerdict(true, $"good OpenPGP signature by {primary}", primary);
    }

    private static string? FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();

    private sealed class TempFile : IDisposable
    {
        public TempFile(string content)
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"reconciler-sig-{Guid.NewGuid():N}");
            File.WriteAllText(Path, content);
        }

        public string Path { get; }

        public void Dispose() => File.Delete(Path);
    }
}

/// <summary>Runs a verifier with arguments as a list (no shell), bytes on stdin, a timeout.</summary>
internal static class ProcessRunner
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(string program, IReadOnlyList<string> arguments, byte[] stdin, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new Result(-1, "", $"cannot run {program}: {e.Message}");
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            process.StandardInput.BaseStream.Write(stdin);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The verifier exited before reading everything; its exit code says why.
        }

        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return new Result(-1, "", $"{program} timed out after {timeout.TotalSeconds:0} s");
        }

        process.WaitForExit();
        return new Result(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }
}
