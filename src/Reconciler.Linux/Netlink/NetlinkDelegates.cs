namespace Reconciler.Linux.Netlink;

/// <summary>Writes what follows the nlmsghdr of a request (family header and attributes).</summary>
public delegate void NetlinkBodyWriter<TState>(ref NetlinkMessageWriter writer, TState state);

/// <summary>Receives one reply message (a dump entry or a doit answer) of a request.</summary>
public delegate void NetlinkReplyHandler<TState>(NetlinkMessage reply, TState state);

/// <summary>Writes the body of request number <paramref name="index"/> of a pipelined batch and returns its
/// message type and flags (NLM_F_REQUEST and NLM_F_ACK are added).</summary>
public delegate (ushort Type, ushort Flags) NetlinkBatchWriter<TState>(ref NetlinkMessageWriter writer, int index, TState state);
