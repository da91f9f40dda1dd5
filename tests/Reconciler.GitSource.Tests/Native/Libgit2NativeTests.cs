using System.Diagnostics;
using System.Text;
using LibGit2Sharp;
using Reconciler.GitSource.Native;
using Reconciler.GitSource.Tests.Fixtures;

namespace Reconciler.GitSource.Tests.Native;

/// <summary>The signature libgit2 extracts, against what the git CLI wrote: a work tree with one SSH-signed and one
/// unsigned commit made by <c>git commit</c>.</summary>
public sealed class Libgit2NativeTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _workTree;

    public Libgit2NativeTests()
    {
        _workTree = _temp.Sub("work");
        var key = Path.Combine(_temp.Sub("keys"), "signer");
        Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test", "-f", key);
        Git("init", "-q", "-b", "main");
        Git("config", "user.email", "sam@example.org");
        Git("config", "user.name", "Sam");
        Git("config", "gpg.format", "ssh");
        Git("config", "user.signingkey", key);
        File.WriteAllText(Path.Combine(_workTree, "topology.yaml"), "nodes: []\n");
        Git("add", ".");
        Git("commit", "-q", "-S", "-m", "signed: naïve café");
        File.AppendAllText(Path.Combine(_workTree, "topology.yaml"), "# more\n");
        Git("commit", "-q", "-a", "-m", "unsigned");
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ExtractSignature_SignedCommit_TheSshSignatureAndExactlyTheBytesGitSigned()
    {
        using var repository = new Repository(_workTree);
        var signed = repository.Lookup<Commit>("HEAD~1");

        var extracted = Libgit2Native.ExtractSignature(repository, signed.Id);

        Assert.NotNull(extracted);
        Assert.StartsWith("-----BEGIN SSH SIGNATURE-----", extracted.Value.Signature, StringComparison.Ordinal);
        // What git signed is the raw commit without its gpgsig header (the header's first line and its continuation lines).
        var raw = Git("cat-file", "commit", signed.Sha);
        var withoutSignature = string.Join('\n', raw.Split('\n').Where(
            (line, _) => !line.StartsWith("gpgsig ", StringComparison.Ordinal) && !line.StartsWith(' ')));
        Assert.Equal(withoutSignature, Encoding.UTF8.GetString(extracted.Value.SignedData));
    }

    [Fact]
    public void ExtractSignature_UnsignedCommit_Null()
    {
        using var repository = new Repository(_workTree);

        Assert.Null(Libgit2Native.ExtractSignature(repository, repository.Head.Tip.Id));
    }

    [Fact]
    public void ExtractSignature_InABareClone_TheSameAsInTheWorkTree()
    {
        var bare = Path.Combine(_temp.Path, "mirror.git");
        Run("git", "clone", "-q", "--bare", _workTree, bare);
        using var workTree = new Repository(_workTree);
        using var mirror = new Repository(bare);
        var signed = workTree.Lookup<Commit>("HEAD~1").Id;

        var inWorkTree = Libgit2Native.ExtractSignature(workTree, signed);
        var inMirror = Libgit2Native.ExtractSignature(mirror, signed);

        Assert.NotNull(inMirror);
        Assert.Equal(inWorkTree!.Value.Signature, inMirror.Value.Signature);
        Assert.Equal(inWorkTree.Value.SignedData, inMirror.Value.SignedData);
    }

    private string Git(params string[] arguments) => Run("git", ["-C", _workTree, .. arguments]);

    private static string Run(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', arguments)}: {error}");
        return output;
    }
}
