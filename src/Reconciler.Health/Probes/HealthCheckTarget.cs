using System.Net;
using Reconciler.Topology.Model;

namespace Reconciler.Health.Probes;

/// <summary>What one check probes: the real server <paramref name="Address"/> on <paramref name="Port"/> (the check's
/// own port, else the real server's) of <paramref name="Service"/>, as <paramref name="Check"/> says.</summary>
public sealed record HealthCheckTarget(string Service, IPAddress Address, int Port, HealthCheck Check)
{
    public static HealthCheckTarget For(VirtualService service, RealServer server, HealthCheck check) =>
        new(service.Name, server.Address, check.Port ?? server.Port, check);

    /// <summary>A file check's tracked file, resolved from the topology (null for other kinds).</summary>
    public FileTarget? File { get; init; }

    public string Endpoint => VirtualService.FormatEndpoint(Address, Port);

    public IPEndPoint EndPoint => new(Address, Port);

    /// <summary>The file check's target: the file check of <paramref name="check"/> resolved against
    /// <paramref name="topology"/> (its weight, else the tracked file's weight and reverse), null for another kind or an
    /// unknown file.</summary>
    public static FileTarget? FileOf(Topology.Model.Topology topology, RealServer server, HealthCheck check) =>
        check.Kind == HealthCheckKind.File && check.File is { } file && topology.FindCheck(file.Check) is { File: { } tracked } definition
            ? new FileTarget(tracked.Path, file.Weight ?? definition.Weight, file.Weight is null ? tracked.Reverse : file.Reverse, server.Weight)
            : null;
}

/// <summary>What a file check reads: the tracked file's <paramref name="Path"/>, the multiplier and its sign, and the
/// real server's configured weight the result is added to.</summary>
public sealed record FileTarget(string Path, int Weight, bool Reverse, int ServerWeight);
