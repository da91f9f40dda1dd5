using Reconciler.Agent.Hosting;
using Reconciler.Agent.Tests.Fakes;

namespace Reconciler.Agent.Tests.Hosting;

public sealed class EndpointTokenTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private EndpointToken Read(string content)
    {
        var path = _folder.File("token");
        File.WriteAllText(path, content);
        return EndpointToken.Read(path);
    }

    [Theory]
    [InlineData("Bearer s3cret", true)]
    [InlineData("bearer s3cret", true)]
    [InlineData("Bearer s3cre", false)]
    [InlineData("Bearer s3cretx", false)]
    [InlineData("Basic s3cret", false)]
    [InlineData("s3cret", false)]
    [InlineData("Bearer ", false)]
    [InlineData(null, false)]
    public void Accepts_OnlyTheBearerToken(string? authorization, bool accepted)
    {
        Assert.Equal(accepted, Read("s3cret\n").Accepts(authorization));
    }

    [Fact]
    public void Read_EmptyFile_RefusedNamingIt()
    {
        var refusal = Assert.Throws<IOException>(() => Read("\n"));

        Assert.Equal($"endpoint token file {_folder.File("token")} is empty: write a token in it (e.g. openssl rand -hex 32)", refusal.Message);
    }
}
