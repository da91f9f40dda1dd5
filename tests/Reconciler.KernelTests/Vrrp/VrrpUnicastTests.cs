namespace Reconciler.KernelTests.Vrrp;

/// <summary>
/// Our VRRP against keepalived 2.2.7 with unicast peers (keepalived's <c>unicast_src_ip</c> and <c>unicast_peer</c>,
/// what clouds that block multicast need), both ways, v2 and v3 over IPv4: hard kill (the backup takes over), the
/// master restarted (it takes over again), graceful stop (priority 0 sent unicast). A capture checks that no advert
/// went to the multicast group.
/// </summary>
[Collection("vrrp-timing")]
public sealed class VrrpUnicastTests(ITestOutputHelper output)
{
    public static TheoryData<string, string, int, double> Pairs => new()
    {
        // master kind, backup kind, version, advert seconds
        { "ours", "keepalived", 2, 1.0 },
        { "keepalived", "ours", 2, 1.0 },
        { "ours", "keepalived", 3, 0.1 },
        { "keepalived", "ours", 3, 0.1 },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Unicast_HardKill_Takeover_GracefulStop(string masterKind, string backupKind, int version, double advert)
    {
        var settings = new VrrpSettings(version, advert, Password: version == 2 ? "s3cret" : null, UnicastNodes: [1, 2]);
        VrrpInteropTests.HardKillPreemptGracefulStop(output, masterKind, backupKind, settings);
    }
}
