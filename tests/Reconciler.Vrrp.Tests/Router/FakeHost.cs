using System.Net;
using System.Net.Sockets;
using Reconciler.Topology.Model;
using Reconciler.Vrrp.Wire;

namespace Reconciler.Vrrp.Tests.Router;

/// <summary>One thing the router asked of its host, with the fake time it happened at.</summary>
internal sealed record HostEvent(DateTimeOffset At, string Kind, VrrpAdvert? Advert = null, IPAddress? Destination = null, int Count = 0, VrrpTransition? Transition = null, byte[]? Message = null);

/// <summary>Records every host call; optionally runs a hook inside a call (to test error handling).</summary>
internal sealed class FakeHost(TimeProvider time, AddressFamily family = AddressFamily.InterNetwork) : IVrrpRouterHost
{
    public List<HostEvent> Events { get; } = [];

    public List<(string Operation, Exception Exception)> Errors { get; } = [];

    public Action<string>? Hook { get; set; }

    public IEnumerable<HostEvent> Adverts => Events.Where(e => e.Kind == "advert");

    public IEnumerable<VrrpTransition> Transitions => Events.Where(e => e.Kind == "transition").Select(e => e.Transition!.Value);

    public IEnumerable<string> Kinds => Events.Select(e => e.Kind);

    public void SendAdvert(ReadOnlySpan<byte> message, IPAddress destination)
    {
        Hook?.Invoke("advert");
        Assert.True(VrrpCodec.TryDecode(message, family, out var advert, out var reason), $"router sent an undecodable advert: {reason}");
        Events.Add(new HostEvent(time.GetUtcNow(), "advert", advert, destination, Message: message.ToArray()));
    }

    public void AddVirtualAddresses(IReadOnlyList<InterfaceAddress> addresses)
    {
        Hook?.Invoke("add");
        Events.Add(new HostEvent(time.GetUtcNow(), "add", Count: addresses.Count));
    }

    public void RemoveVirtualAddresses(IReadOnlyList<InterfaceAddress> addresses)
    {
        Hook?.Invoke("remove");
        Events.Add(new HostEvent(time.GetUtcNow(), "remove", Count: addresses.Count));
    }

    public void SendGratuitousAnnouncements(IReadOnlyList<InterfaceAddress> addresses, int count)
    {
        Hook?.Invoke("garp");
        Events.Add(new HostEvent(time.GetUtcNow(), "garp", Count: count));
    }

    public void OnTransition(VrrpTransition transition)
    {
        Hook?.Invoke("transition");
        Events.Add(new HostEvent(time.GetUtcNow(), "transition", Transition: transition));
    }

    public void OnHostError(string operation, Exception exception) => Errors.Add((operation, exception));

    public void Clear() => Events.Clear();
}
