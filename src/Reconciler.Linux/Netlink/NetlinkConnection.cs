namespace Reconciler.Linux.Netlink;

/// <summary>
/// Request/reply over a <see cref="NetlinkSocket"/>: a sequence number for every request, replies checked for it and
/// for the port id, dumps read to NLMSG_DONE, NLMSG_ERROR turned into <see cref="NetlinkException"/>. The socket is
/// opened lazily and replaced after a timeout or a protocol error, so a late reply never answers a later request.
/// Not thread-safe: one request at a time.
/// </summary>
public sealed partial class NetlinkConnection : IDisposable
{
    /// <summary>The kernel sizes dump datagrams up to 32 KiB; twice that leaves room.</summary>
    private const int ReceiveBufferBytes = 64 * 1024;

    /// <summary>Datagrams per receive call: a dump's last part and its NLMSG_DONE (or a reply and its ack) in one.</summary>
    private const int DatagramsPerReceive = 2;

    private readonly byte[] _receiveBuffer = new byte[ReceiveBufferBytes * DatagramsPerReceive];
    private readonly int[] _receivedLengths = new int[DatagramsPerReceive];
    private readonly byte[] _sendBuffer = new byte[SendBufferBytes];
    private NetlinkSocket? _socket;
    private uint _sequence;
    private int _maxAcksInFlight;
    private bool _disposed;

    public NetlinkConnection(int protocol, string? networkNamespacePath = null, TimeSpan? timeout = null)
    {
        Protocol = protocol;
        NetworkNamespacePath = networkNamespacePath;
        Timeout = timeout ?? TimeSpan.FromSeconds(10);
        _sequence = (uint)Environment.TickCount;
    }

    public int Protocol { get; }

    public string? NetworkNamespacePath { get; }

    /// <summary>How long to wait for each reply datagram before the request fails and the socket is replaced.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Opens the socket now (it is otherwise opened by the first request), so a bad namespace path fails
    /// early.</summary>
    public void Connect() => _ = Socket;

    /// <summary>Sends one request and waits for its ack; replies it produces go to <paramref name="onReply"/>.
    /// With <paramref name="dump"/>, sends NLM_F_DUMP and reads every part up to NLMSG_DONE.</summary>
    /// <returns>How many datagrams carried replies: a dump's parts. The kernel builds each part under its lock, so a
    /// dump in one part is one consistent picture; between parts the table may change.</returns>
    public int Request<TState>(
        string operation,
        ushort type,
        ushort flags,
        TState state,
        NetlinkBodyWriter<TState> body,
        NetlinkReplyHandler<TState>? onReply = null,
        bool dump = false)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var socket = Socket;
        uint sequence = NextSequence();
        var writer = new NetlinkMessageWriter(_sendBuffer);
        ushort requestFlags = (ushort)(flags | NetlinkConstants.NLM_F_REQUEST | (dump ? NetlinkConstants.NLM_F_DUMP : NetlinkConstants.NLM_F_ACK));
        writer.BeginMessage(type, requestFlags, sequence, socket.PortId);
        body(ref writer, state);
        writer.EndMessage();
        Send(socket, operation, writer.Written);

        int parts = 0;
        while (true)
        {
            int count = ReceiveManyOrReset(socket, operation);
            for (int datagram = 0; datagram < count; datagram++)
            {
                var messages = new NetlinkMessageReader(_receiveBuffer.AsSpan(datagram * ReceiveBufferBytes, _receivedLengths[datagram]));
                bool replied = false;
                while (messages.TryRead(out var message))
                {
                    if (!Belongs(socket, message.Header, sequence, operation))
                    {
                        continue;
                    }

                    if (Handle(message, operation, dump, state, onReply))
                    {
                        return replied ? parts + 1 : parts;
                    }

                    replied |= IsReply(message.Header.Type);
                }

                if (replied)
                {
                    parts++;
                }
            }
        }
    }

    private static bool IsReply(ushort type) =>
        type is not (NetlinkConstants.NLMSG_ERROR or NetlinkConstants.NLMSG_DONE or NetlinkConstants.NLMSG_NOOP or NetlinkConstants.NLMSG_OVERRUN);

    /// <summary>Handles one reply; true when it ends the request (the ack, or NLMSG_DONE of a dump).</summary>
    private bool Handle<TState>(NetlinkMessage message, string operation, bool dump, TState state, NetlinkReplyHandler<TState>? onReply)
    {
        switch (message.Header.Type)
        {
            case NetlinkConstants.NLMSG_ERROR:
                var error = NetlinkError.Parse(message);
                if (!error.IsAck)
                {
                    throw new NetlinkException(operation, error.Errno, error.KernelMessage);
                }

                return !dump;
            case NetlinkConstants.NLMSG_DONE:
                int doneError = message.Payload.Length >= 4 ? ReadInt32(message.Payload) : 0;
                if (doneError < 0)
                {
                    throw new NetlinkException(operation, -doneError);
                }

                return dump;
            case NetlinkConstants.NLMSG_NOOP:
                return false;
            case NetlinkConstants.NLMSG_OVERRUN:
                Reset();
                throw new NetlinkProtocolException($"{operation}: NLMSG_OVERRUN");
            default:
                if ((message.Header.Flags & NetlinkConstants.NLM_F_DUMP_INTR) != 0)
                {
                    throw new NetlinkException($"{operation}: the table changed during the dump", Native.Errno.EAGAIN);
                }

                onReply?.Invoke(message, state);
                return false;
        }
    }

    public void Dispose()
    {
        _disposed = true;
        Reset();
    }

    /// <summary>Drops the socket; the next request opens a fresh one.</summary>
    public void Reset()
    {
        _socket?.Dispose();
        _socket = null;
    }

    private NetlinkSocket Socket
    {
        get
        {
            if (_socket is null)
            {
                var socket = NetlinkSocket.Open(Protocol, NetworkNamespacePath, Timeout);
                try
                {
                    int granted = socket.SetReceiveBufferSize(ReceiveBufferRequestBytes);
                    socket.SetSendBufferSize(SendBufferBytes * 2);
                    _maxAcksInFlight = Math.Max(16, granted / 2 / AckTrueSizeEstimate);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }

                _socket = socket;
            }

            return _socket;
        }
    }

    private uint NextSequence() => ++_sequence == 0 ? ++_sequence : _sequence;

    private void Send(NetlinkSocket socket, string operation, ReadOnlySpan<byte> data)
    {
        try
        {
            socket.Send(data);
        }
        catch (NetlinkException exception)
        {
            Reset();
            throw new NetlinkException(operation, exception.Errno);
        }
    }

    private int ReceiveManyOrReset(NetlinkSocket socket, string operation)
    {
        int count;
        try
        {
            count = socket.ReceiveMany(_receiveBuffer, ReceiveBufferBytes, _receivedLengths);
        }
        catch (NetlinkException exception)
        {
            Reset();
            throw new NetlinkException(operation, exception.Errno);
        }

        if (count == 0)
        {
            Reset();
            throw new NetlinkTimeoutException(operation, Timeout);
        }

        return count;
    }

    /// <summary>True for a reply to <paramref name="sequence"/>; skips stale replies to earlier requests and fails
    /// on anything else.</summary>
    private bool Belongs(NetlinkSocket socket, NetlinkMessageHeader header, uint sequence, string operation)
    {
        if (header.PortId != socket.PortId)
        {
            Reset();
            throw new NetlinkProtocolException($"{operation}: reply for port id {header.PortId}, this socket is {socket.PortId}");
        }

        if (header.Sequence == sequence)
        {
            return true;
        }

        if (unchecked((int)(sequence - header.Sequence)) > 0)
        {
            return false; // a late reply to an earlier request
        }

        Reset();
        throw new NetlinkProtocolException($"{operation}: reply with sequence {header.Sequence}, expected {sequence}");
    }

    private static int ReadInt32(ReadOnlySpan<byte> payload) =>
        System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(payload);
}
