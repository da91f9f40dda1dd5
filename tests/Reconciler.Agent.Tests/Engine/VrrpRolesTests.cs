using System.Net;
using Reconciler.Agent.Engine;
using Reconciler.Agent.Tests.Fakes;
using Reconciler.Planning.Desired;
using Reconciler.Vrrp;

namespace Reconciler.Agent.Tests.Engine;

public sealed class VrrpRolesTests
{
    private static readonly IPAddress Peer = IPAddress.Parse("10.0.0.2");

    [Theory]
    [InlineData(VrrpState.Master, true, VrrpRole.Master)]
    [InlineData(VrrpState.Master, false, VrrpRole.Master)]
    [InlineData(VrrpState.Fault, false, VrrpRole.Fault)]
    [InlineData(VrrpState.Fault, true, VrrpRole.Fault)]
    [InlineData(VrrpState.Backup, true, VrrpRole.Backup)]
    [InlineData(VrrpState.Backup, false, VrrpRole.Unknown)]
    [InlineData(VrrpState.Initialize, false, VrrpRole.Unknown)]
    [InlineData(VrrpState.Initialize, true, VrrpRole.Unknown)]
    public void RoleOf_StateAndMasterHeard_Role(VrrpState state, bool masterHeard, VrrpRole expected)
    {
        var status = VrrpStatuses.Of("VI_1", state, masterHeard ? Peer : null);

        Assert.Equal(expected, VrrpRoles.RoleOf(status));
    }

    [Fact]
    public void Of_SeveralInstances_RoleByInstanceName()
    {
        var roles = VrrpRoles.Of(
        [
            VrrpStatuses.Of("VI_1", VrrpState.Master, null),
            VrrpStatuses.Of("VI_2", VrrpState.Backup, Peer),
            VrrpStatuses.Of("VI_3", VrrpState.Backup, null),
        ]);

        Assert.Equal(
            new Dictionary<string, VrrpRole> { ["VI_1"] = VrrpRole.Master, ["VI_2"] = VrrpRole.Backup, ["VI_3"] = VrrpRole.Unknown },
            roles);
    }
}
