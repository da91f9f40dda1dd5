using System.Net;
using System.Net.Sockets;
using Reconciler.KernelTests.Infrastructure;
using Reconciler.Linux.Route;
using Reconciler.Topology.Model;

namespace Reconciler.KernelTests.Route;

/// <summary>rtnetlink addresses and links against the kernel, cross-checked with <c>ip</c>.</summary>
public sealed class RtnetlinkTests
{
    [Theory]
    [InlineData("10.0.0.50/24")]
    [InlineData("2001:db8::50/64")]
    public void AddListDelete_IsIdempotent_AndMatchesIp(string text)
    {
        using var space = LabNamespace.Create();
        using var client = RtnetlinkClient.Open(space.Path);
        Assert.True(InterfaceAddress.TryParse(text, out var address));
        int index = client.GetInterfaceIndex("d0");

        Assert.True(client.AddAddress(index, address));
        Assert.False(client.AddAddress(index, address), "adding again is not an error");
        Assert.Contains(client.GetAddresses(index), a => a.Address == address);
        Assert.Contains($" {text} ", space.Ip("-o", "addr", "show", "dev", "d0"), StringComparison.Ordinal);

        Assert.True(client.DeleteAddress(index, address));
        Assert.False(client.DeleteAddress(index, address), "deleting again is not an error");
        Assert.DoesNotContain($" {text} ", space.Ip("-o", "addr", "show", "dev", "d0"), StringComparison.Ordinal);
        Assert.DoesNotContain(client.GetAddresses(index), a => a.Address == address);
    }

    [Fact]
    public void Delete_WithAnotherPrefix_StillDeletes()
    {
        using var space = LabNamespace.Create();
        using var client = RtnetlinkClient.Open(space.Path);
        int index = client.GetInterfaceIndex("d0");
        space.Ip("addr", "add", "2001:db8::77/64", "dev", "d0", "nodad");
        space.Ip("addr", "add", "10.0.0.77/24", "dev", "d0");
        Assert.True(client.DeleteAddress(index, new InterfaceAddress(IPAddress.Parse("2001:db8::77"), 128)));
        Assert.True(client.DeleteAddress(index, new InterfaceAddress(IPAddress.Parse("10.0.0.77"), 32)));
        string shown = space.Ip("-o", "addr", "show", "dev", "d0");
        Assert.DoesNotContain("2001:db8::77/", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("10.0.0.77/", shown, StringComparison.Ordinal);
    }

    [Fact]
    public void Addresses_MatchIpAddrShow()
    {
        using var space = LabNamespace.Create();
        using var addresses = RtnetlinkNodeAddresses.Open(space.Path);
        addresses.Add("d0", new InterfaceAddress(IPAddress.Parse("10.0.0.60"), 32));
        var ours = addresses.GetAddresses().Select(a => $"{a.Interface} {a.Address}").Order().ToList();
        var ip = space.Ip("-o", "addr", "show").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(w => $"{w[1]} {w[3]}").Order().ToList();
        Assert.Equal(ip, ours);
        Assert.Contains("d0 10.0.0.60/32", ours);
        addresses.Remove("d0", new InterfaceAddress(IPAddress.Parse("10.0.0.60"), 32));
        addresses.Remove("d0", new InterfaceAddress(IPAddress.Parse("10.0.0.60"), 32));
        addresses.Remove("nosuch0", new InterfaceAddress(IPAddress.Parse("10.0.0.60"), 32));
        Assert.DoesNotContain(addresses.GetAddresses(), a => a.Address.Address.Equals(IPAddress.Parse("10.0.0.60")));
    }

    [Fact]
    public void LinkState_FollowsAdminStateAndCarrier()
    {
        using var space = LabNamespace.Create();
        using var client = RtnetlinkClient.Open(space.Path);
        space.Ip("link", "add", "va", "type", "veth", "peer", "name", "vb");
        space.Ip("link", "set", "va", "up");

        var va = Settled(client, "va");
        Assert.True(va.IsUp);
        Assert.False(va.HasCarrier, "peer down: no carrier");
        Assert.False(va.IsUsable);
        Assert.Equal(6, va.HardwareAddress.Length);
        Assert.Contains(LinkInfo.FormatMac(va.HardwareAddress), space.Ip("link", "show", "va"), StringComparison.Ordinal);

        space.Ip("link", "set", "vb", "up");
        va = Settled(client, "va");
        Assert.True(va.HasCarrier);
        Assert.True(va.IsUsable);
        Assert.Contains("LOWER_UP", space.Ip("link", "show", "va"), StringComparison.Ordinal);

        space.Ip("link", "set", "va", "down");
        Assert.False(client.GetLink("va")!.IsUp);
        Assert.Null(client.GetLink("nosuch0"));
        Assert.Equal(client.GetLinks().Single(l => l.Name == "d0").Index, client.GetInterfaceIndex("d0"));
        Assert.Contains(client.GetAddresses(AddressFamily.InterNetworkV6), a => a.Address.Address.Equals(IPAddress.Parse("2001:db8::1")));
    }

    /// <summary>
    /// The link once the kernel's link watcher has caught up with its carrier. The carrier flag changes at once, but
    /// the operational state (and IFF_RUNNING, which follows it) is set later by linkwatch, and a new interface's state
    /// is UNKNOWN until then, which counts as running: read at once, a busy machine showed a veth without carrier as
    /// running. Returns as soon as the two agree; the deadline only bounds a failure.
    /// </summary>
    private static LinkInfo Settled(RtnetlinkClient client, string name)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var link = client.GetLink(name) ?? throw new InvalidOperationException($"no link {name}");
            if (link.IsRunning == link.HasCarrier || DateTime.UtcNow > deadline)
            {
                return link;
            }

            Thread.Sleep(10);
        }
    }
}
