using Reconciler.Scripts;

namespace Reconciler.Linux.Tests.Vrrp;

public sealed class CommandLineTests
{
    [Theory]
    [InlineData("/usr/bin/notify.sh", new[] { "/usr/bin/notify.sh" })]
    [InlineData("  /bin/sh -c 'echo $3 >> /tmp/x'  ", new[] { "/bin/sh", "-c", "echo $3 >> /tmp/x" })]
    [InlineData("a \"b c\" d\\ e", new[] { "a", "b c", "d e" })]
    [InlineData("", new string[0])]
    public void Split_LikeKeepalived(string command, string[] expected) => Assert.Equal(expected, CommandLine.Split(command));
}
