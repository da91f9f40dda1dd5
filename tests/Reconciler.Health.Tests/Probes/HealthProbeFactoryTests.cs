using Reconciler.Health.Probes;
using Reconciler.Health.Tests.Support;
using Reconciler.Topology.Model;

namespace Reconciler.Health.Tests.Probes;

public sealed class HealthProbeFactoryTests
{
    [Theory]
    [InlineData(HealthCheckKind.Tcp, typeof(TcpProbe))]
    [InlineData(HealthCheckKind.Udp, typeof(UdpProbe))]
    [InlineData(HealthCheckKind.Ping, typeof(PingProbe))]
    [InlineData(HealthCheckKind.Dns, typeof(DnsProbe))]
    [InlineData(HealthCheckKind.Smtp, typeof(SmtpProbe))]
    public void Create_EachKind_ItsProbe_SelfTimed(HealthCheckKind kind, Type type)
    {
        using var factory = new HealthProbeFactory(TimeProvider.System);
        var server = Build.Server("10.0.0.101", 53);

        var probe = factory.Create(HealthCheckTarget.For(Build.Service("svc", [server]), server, Build.Check(kind)));

        Assert.IsType(type, probe);
        Assert.IsAssignableFrom<ISelfTimedProbe>(probe);
    }
}
