using Reconciler.Ipvs;
using Reconciler.Linux.Native;
using Reconciler.Linux.Netlink;
using static Reconciler.Linux.Ipvs.IpvsNetlink;

namespace Reconciler.Linux.Ipvs;

/// <summary>
/// <see cref="IIpvsClient"/> over generic netlink, in the network namespace it was opened in. The IPVS family id is
/// resolved on first use and again after a failure, so a client opened before ip_vs is loaded starts working once it
/// is. Not thread-safe: one call at a time.
/// </summary>
public sealed partial class IpvsNetlinkClient : IIpvsClient
{
    private readonly NetlinkConnection _connection;
    private readonly string _familyName;
    private ushort _familyId;
    private bool _disposed;

    private IpvsNetlinkClient(NetlinkConnection connection, string familyName)
    {
        _connection = connection;
        _familyName = familyName;
    }

    /// <summary>The namespace the client works in (null: the calling process's).</summary>
    public string? NetworkNamespacePath => _connection.NetworkNamespacePath;

    /// <summary>Opens a client in the caller's network namespace, or in the one at
    /// <paramref name="networkNamespacePath"/> (e.g. /run/netns/NAME). <paramref name="timeout"/> bounds every wait
    /// for a reply (default 10 s); after it passes the socket is replaced.</summary>
    public static IpvsNetlinkClient Open(string? networkNamespacePath = null, TimeSpan? timeout = null) =>
        Open(networkNamespacePath, timeout, IPVS_GENL_NAME);

    /// <summary>A client that looks the IPVS family up under another name: with a name no kernel has, it behaves as
    /// on a kernel without ip_vs, whatever this one has loaded (for the host tests).</summary>
    internal static IpvsNetlinkClient Open(string? networkNamespacePath, TimeSpan? timeout, string familyName)
    {
        var connection = new NetlinkConnection(NetlinkConstants.NETLINK_GENERIC, networkNamespacePath, timeout);
        try
        {
            connection.Connect();
            return new IpvsNetlinkClient(connection, familyName);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public IpvsInfo GetInfo()
    {
        IpvsInfo? info = null;
        Simple("get IPVS info", IPVS_CMD_GET_INFO, reply => info = IpvsMessageDecoder.ReadInfo(reply));
        return info ?? throw new IpvsException("get IPVS info: the kernel sent no reply");
    }

    public void Flush() =>
        Simple("flush the IPVS table", IPVS_CMD_FLUSH, null);

    public IpvsTimeouts GetTimeouts()
    {
        IpvsTimeouts? timeouts = null;
        Simple("get IPVS timeouts", IPVS_CMD_GET_CONFIG, reply => timeouts = IpvsMessageDecoder.ReadTimeouts(reply));
        return timeouts ?? throw new IpvsException("get IPVS timeouts: the kernel sent no reply");
    }

    public void SetTimeouts(IpvsTimeouts timeouts)
    {
        ArgumentNullException.ThrowIfNull(timeouts);
        Send($"set IPVS timeouts to tcp {timeouts.Tcp} tcpfin {timeouts.TcpFin} udp {timeouts.Udp}", timeouts, static (ref NetlinkMessageWriter writer, IpvsTimeouts state) => IpvsMessageEncoder.WriteTimeouts(ref writer, state));
    }

    public IReadOnlyList<IpvsSyncDaemon> GetSyncDaemons()
    {
        var daemons = new List<IpvsSyncDaemon>();
        Dump("list IPVS sync daemons", daemons, static (ref NetlinkMessageWriter writer, List<IpvsSyncDaemon> _) =>
            writer.WriteGenericHeader(IPVS_CMD_GET_DAEMON, IPVS_GENL_VERSION),
            static (reply, list) =>
            {
                if (IpvsMessageDecoder.ReadDaemonMessage(reply) is { } daemon)
                {
                    list.Add(daemon);
                }
            });
        return daemons;
    }

    public void StartSyncDaemon(IpvsSyncDaemon daemon)
    {
        ArgumentNullException.ThrowIfNull(daemon);
        Send($"start IPVS sync daemon {daemon.State} on {daemon.MulticastInterface}", daemon, static (ref NetlinkMessageWriter writer, IpvsSyncDaemon state) => IpvsMessageEncoder.WriteStartDaemon(ref writer, state));
    }

    public void StopSyncDaemon(IpvsSyncDaemonState state) =>
        Send($"stop IPVS sync daemon {state}", state, static (ref NetlinkMessageWriter writer, IpvsSyncDaemonState value) => IpvsMessageEncoder.WriteStopDaemon(ref writer, value));

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _connection.Dispose();
            DisposeDumpConnections();
        }
    }
}
