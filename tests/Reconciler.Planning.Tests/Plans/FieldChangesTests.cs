using System.Net;
using Reconciler.Ipvs;
using Reconciler.Planning.Plans;

namespace Reconciler.Planning.Tests.Plans;

public sealed class FieldChangesTests
{
    private static readonly IpvsDestination Before = new(IPAddress.Parse("10.0.0.1"), 80, IpvsForwarding.DirectRoute, 5, 0, 0);

    [Fact]
    public void Between_SameDestination_NoChanges() =>
        Assert.Empty(FieldChanges.Between(Before, Before with { Address = IPAddress.Parse("10.0.0.1") }));

    [Fact]
    public void Between_EveryFieldChanged_EachNamedInOrderWithOldAndNew()
    {
        var after = Before with
        {
            Forwarding = IpvsForwarding.Tunnel,
            Weight = 0,
            UpperThreshold = 100,
            LowerThreshold = 10,
            TunnelType = IpvsTunnelType.Gue,
            TunnelPort = 6080,
            TunnelFlags = IpvsTunnelFlags.Checksum | IpvsTunnelFlags.RemoteChecksum,
        };

        Assert.Equal(
            [
                new FieldChange("forwarding", "dr", "tunnel"),
                new FieldChange("weight", "5", "0"),
                new FieldChange("upper threshold", "0", "100"),
                new FieldChange("lower threshold", "0", "10"),
                new FieldChange("tunnel type", "ipip", "gue"),
                new FieldChange("tunnel port", "0", "6080"),
                new FieldChange("tunnel flags", "none", "checksum, remotechecksum"),
            ],
            FieldChanges.Between(Before, after));
    }

    [Fact]
    public void Between_OnlyWeightChanged_OnlyWeight() =>
        Assert.Equal([new FieldChange("weight", "5", "-1")], FieldChanges.Between(Before, Before with { Weight = -1 }));
}
