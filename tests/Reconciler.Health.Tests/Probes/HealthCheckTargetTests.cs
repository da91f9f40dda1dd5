using System.Net;
using Reconciler.Health.Probes;
using Reconciler.Health.Tests.Support;

namespace Reconciler.Health.Tests.Probes;

public sealed class HealthCheckTargetTests
{
    [Fact]
    public void For_CheckWithItsOwnPort_ProbesThatPort()
    {
        var server = Build.Server("10.0.0.101", 80);
        var service = Build.Service("web", [server]);

        var target = HealthCheckTarget.For(service, server, Build.Check(port: 8080));

        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.101"), 8080), target.EndPoint);
        Assert.Equal("10.0.0.101:8080", target.Endpoint);
    }

    [Fact]
    public void For_CheckWithoutPort_ProbesTheRealServersPort()
    {
        var server = Build.Server("fd00::101", 443);

        var target = HealthCheckTarget.For(Build.Service("web", [server]), server, Build.Check());

        Assert.Equal("[fd00::101]:443", target.Endpoint);
    }
}
