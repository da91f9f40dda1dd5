using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Reconciler.Topology.Model;
using Reconciler.Vrrp.Wire;

namespace Reconciler.Vrrp.Tests.Router;

/// <summary>A router under test with a fake clock and host, and a simulated peer that sends it adverts.</summary>
internal sealed class RouterFixture : IDisposable
{
    public static readonly IPAddress Self4 = IPAddress.Parse("192.168.1.10");
    public static readonly IPAddress PeerLow4 = IPAddress.Parse("192.168.1.5");
    public static readonly IPAddress PeerHigh4 = IPAddress.Parse("192.168.1.20");
    public static readonly InterfaceAddress Vip4 = new(IPAddress.Parse("192.168.1.120"), 32);

    public RouterFixture(VrrpRouterConfig config)
    {
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Host = new FakeHost(Time, config.Family);
        Router = new VrrpRouter(config, Host, Time);
        Started = Time.GetUtcNow();
    }

    public FakeTimeProvider Time { get; }

    public FakeHost Host { get; }

    public VrrpRouter Router { get; }

    public DateTimeOffset Started { get; }

    public TimeSpan Elapsed => Time.GetUtcNow() - Started;

    public static VrrpRouterConfig V2(int priority = 100, bool preempt = true, TimeSpan? preemptDelay = null, string? password = null) =>
        new(
            "VI_1", "eth0", 51, 2, AddressFamily.InterNetwork, TimeSpan.FromSeconds(1), priority, preempt,
            preemptDelay ?? TimeSpan.Zero, Self4, [], [Vip4], [], [], password, GratuitousArp.Default);

    public static VrrpRouterConfig V3(int priority = 100, TimeSpan? interval = null, bool preempt = true) =>
        V2(priority, preempt) with { Version = 3, AdvertInterval = interval ?? TimeSpan.FromSeconds(1) };

    /// <summary>An advert from a peer, encoded exactly as a peer would send it to us.</summary>
    public VrrpReceiveResultAndState Receive(int priority, IPAddress? from = null, TimeSpan? interval = null, int ttl = 255)
    {
        var source = from ?? PeerLow4;
        var config = Router.Config;
        var advert = new VrrpAdvert(
            config.Version, config.Family, config.VirtualRouterId, (byte)priority, interval ?? config.AdvertInterval,
            config.VirtualAddresses.Select(v => v.Address).ToValueList(), config.AuthType, config.AuthData);
        var destination = config.UsesUnicast ? config.PrimaryAddress : config.MulticastGroup;
        var bytes = VrrpCodec.Encode(advert, source, destination);
        var result = Router.ReceiveAdvert(bytes, new VrrpPacketInfo(source, destination, ttl));
        return new VrrpReceiveResultAndState(result, Router.State);
    }

    /// <summary>Advances the clock in small steps so every timer fires at (or within a step of) its own due time.</summary>
    public void Advance(TimeSpan by, TimeSpan? step = null)
    {
        var stepSize = step ?? TimeSpan.FromMilliseconds(1);
        var end = Time.GetUtcNow() + by;
        while (Time.GetUtcNow() + stepSize <= end)
        {
            Time.Advance(stepSize);
        }

        var rest = end - Time.GetUtcNow();
        if (rest > TimeSpan.Zero)
        {
            Time.Advance(rest);
        }
    }

    public void Dispose() => Router.Dispose();
}

internal readonly record struct VrrpReceiveResultAndState(Reconciler.Vrrp.Receive.VrrpReceiveResult Result, VrrpState State);
