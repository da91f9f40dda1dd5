using Reconciler.Topology.Model;
using static Reconciler.Keepalived.Tests.Import.ImportHelper;

namespace Reconciler.Keepalived.Tests.Import;

/// <summary>keepalived's <c>use_vmac [NAME]</c>, <c>vmac_xmit_base</c> and an address's <c>label</c>.</summary>
public sealed class VmacImportTests
{
    private const string Base = "interface eth0\nvirtual_router_id 51\nvirtual_ipaddress {\n10.0.0.100/24\n}\n";

    [Fact]
    public void UseVmac_WithoutName_KeepalivedsDefaultVrrpDotVrid()
    {
        var result = Run("vrrp_instance VI_1 {\nuse_vmac\n" + Base + "}");

        Assert.Empty(result.Diagnostics);
        Assert.Equal(new VirtualMac("vrrp.51", false), Assert.Single(result.Topology!.VrrpInstances).Vmac);
    }

    [Fact]
    public void UseVmac_NamedWithTransmitBase()
    {
        var instance = Instance(Base + "use_vmac vip51\nvmac_xmit_base");

        Assert.Equal(new VirtualMac("vip51", true), instance.Vmac);
        Assert.Equal("vip51", instance.AddressInterfaceFor("lb1"));
    }

    [Fact]
    public void NoUseVmac_NoVmac()
    {
        Assert.Null(Instance(Base).Vmac);
    }

    [Fact]
    public void TransmitBaseAlone_IgnoredWithAWarningAtIt()
    {
        var result = Run("vrrp_instance VI_1 {\n" + Base + "vmac_xmit_base\n}");

        Assert.Null(result.Topology!.VrrpInstances[0].Vmac);
        var warning = Single(result, "unsupported-keyword");
        Assert.Equal(7, warning.Location!.Line);
        Assert.Contains("no effect without use_vmac", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NameOf16Characters_IgnoredAsKeepalivedDoes_DefaultNameUsed()
    {
        var result = Run("vrrp_instance VI_1 {\n" + Base + "use_vmac vrrp-sixteen-chr\n}");

        Assert.Equal("vrrp.51", result.Topology!.VrrpInstances[0].Vmac!.Name);
        Assert.Equal((7, 10), (Single(result, "invalid-value").Location!.Line, Single(result, "invalid-value").Location!.Column));
    }

    [Fact]
    public void AddressWithDevice_UnderUseVmac_SaidThatItGoesOnTheVmac()
    {
        var result = Run("vrrp_instance VI_1 {\ninterface eth0\nvirtual_router_id 51\nuse_vmac\nvirtual_ipaddress {\n10.0.0.100/24 dev eth0\n}\n}");

        Assert.Contains("on its vmac", Single(result, "vip-device-dropped").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Label_ImportedPerAddress()
    {
        var instance = Instance("interface eth0\nvirtual_router_id 51\nvirtual_ipaddress {\n10.0.0.100/24 dev eth0 label eth0:web\n10.0.0.101/24\n}");

        Assert.Equal(ValueMap<string>.Create([new("10.0.0.100", "eth0:web")]), instance.VirtualAddressLabels);
    }

    [Fact]
    public void Label_TooLong_TheAddressRemoved_AsKeepalivedDoes()
    {
        var result = Run("vrrp_instance VI_1 {\ninterface eth0\nvirtual_router_id 51\nvirtual_ipaddress {\n10.0.0.100 label eth0:a-long-label\n10.0.0.101 label eth0:ok\n}\n}");

        var instance = result.Topology!.VrrpInstances[0];
        Assert.Equal("10.0.0.101/32", Assert.Single(instance.VirtualAddresses).ToString());
        Assert.Equal(ValueMap<string>.Create([new("10.0.0.101", "eth0:ok")]), instance.VirtualAddressLabels);
        var warning = Single(result, "invalid-value");
        Assert.Equal((5, 18), (warning.Location!.Line, warning.Location.Column));
        Assert.Contains("keepalived removes the address 10.0.0.100/32", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Label_OnIPv6_DroppedWithAWarningAtTheLabel()
    {
        var v6 = Run("vrrp_instance VI_1 {\ninterface eth0\nvirtual_router_id 51\nvirtual_ipaddress {\n2001:db8::1/64 label eth0:v6\n}\n}");
        Assert.Empty(v6.Topology!.VrrpInstances[0].VirtualAddressLabels);
        Assert.Contains("only IPv4 addresses have labels", Single(v6, "unsupported-keyword").Message, StringComparison.Ordinal);
    }
}
