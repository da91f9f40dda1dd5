using Reconciler.Cli.Tests.Fixtures;
using Reconciler.GitSource.Tests.Fixtures;

namespace Reconciler.Cli.Tests.Commands;

/// <summary>The CLI's signature options, the same as the agent's: SSH (<c>--allowed-signers</c>) and OpenPGP
/// (<c>--gpg-home</c> with pinned <c>--gpg-fingerprints</c>; never any key of a keyring).</summary>
[Collection(ConsoleCollection.Name)]
public sealed class SignatureOptionsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Validate_GpgHomeWithoutPinnedFingerprints_RefusedNamingTheOption()
    {
        var result = CliRun.Invoke("validate", "--state-dir", _temp.Sub("state"), "--repo", "file:///srv/none.git", "--gpg-home", _temp.Sub("gnupg"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--gpg-fingerprints: required with --gpg-home", result.Error, StringComparison.Ordinal);
    }
}
