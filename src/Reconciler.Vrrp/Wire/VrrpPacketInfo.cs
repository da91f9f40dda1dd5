using System.Net;

namespace Reconciler.Vrrp.Wire;

/// <summary>What the IP layer says about a received VRRP message.</summary>
/// <param name="Source">IP source address (the sending router's primary address).</param>
/// <param name="Destination">IP destination: 224.0.0.18 / ff02::12, or our own address for unicast.</param>
/// <param name="TimeToLive">IPv4 TTL or IPv6 hop limit as received.</param>
public readonly record struct VrrpPacketInfo(IPAddress Source, IPAddress Destination, int TimeToLive);
