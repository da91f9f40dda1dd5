using System.Net;
using System.Text.Json;
using Reconciler.Planning.Desired;
using Reconciler.Planning.Serialization;

namespace Reconciler.Planning.Tests.Desired;

public sealed class OverlaySnapshotTests
{
    private static readonly OverlaySnapshot Snapshot = new(
        "lb1",
        new Dictionary<string, VrrpRole> { ["VI_1"] = VrrpRole.Master, ["VI_2"] = VrrpRole.Backup },
        [new ServiceHealthEntry("web", ServiceHealth.Normal, [new RealServerHealthEntry(IPAddress.Parse("192.168.1.103"), 80, new RealServerHealth(false, null, "health: tcp connect refused"))])],
        TimeSpan.FromSeconds(90));

    [Fact]
    public void Json_RoundTrip_TheSameInputs()
    {
        var json = JsonSerializer.Serialize(Snapshot, PlanningJson.Options);

        var read = JsonSerializer.Deserialize<OverlaySnapshot>(json, PlanningJson.Options)!;

        Assert.Equal(Snapshot.Node, read.Node);
        Assert.Equal(Snapshot.Roles, read.Roles);
        Assert.Equal(Snapshot.DrainTimeout, read.DrainTimeout);
        var server = Assert.Single(Assert.Single(read.Services).RealServers);
        Assert.Equal(Snapshot.Services[0].RealServers[0], server);
    }

    [Fact]
    public void ToOverlay_AnswersAsTheOverlayItWasCapturedFrom()
    {
        var overlay = Snapshot.ToOverlay();

        Assert.Equal(VrrpRole.Master, overlay.RoleOf("VI_1"));
        Assert.False(overlay.Health.Get("web", IPAddress.Parse("192.168.1.103"), 80).Present);
        Assert.Equal(RealServerHealth.Configured, overlay.Health.Get("web", IPAddress.Parse("192.168.1.104"), 80));
        Assert.Equal(ServiceHealth.Normal, overlay.Health.GetService("dns"));
    }
}
