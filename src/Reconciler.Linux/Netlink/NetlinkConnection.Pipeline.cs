using System.Buffers.Binary;

namespace Reconciler.Linux.Netlink;

/// <summary>Pipelining: many acknowledged requests per sendmsg, each ack matched back by sequence number.</summary>
public sealed partial class NetlinkConnection
{
    /// <summary>One sendmsg carries at most this much; SO_SNDBUF is raised above it.</summary>
    private const int SendBufferBytes = 128 * 1024;

    /// <summary>Largest single request a batch writer may produce.</summary>
    private const int MaxRequestBytes = 4096;

    /// <summary>Acks are read up to this many datagrams a system call (recvmmsg).</summary>
    private const int AcksPerReceive = 64;

    /// <summary>Room for one datagram while reading acks: a capped ack is 36 bytes, but a pipelined request may also
    /// answer with data, which must fit here (a larger one fails the batch with a protocol error, never silently).</summary>
    private const int AckSlotBytes = 8 * 1024;

    private byte[]? _ackBuffer;
    private readonly int[] _ackLengths = new int[AcksPerReceive];

    /// <summary>Asked for with SO_RCVBUFFORCE: acks of a whole window wait in it until read.</summary>
    private const int ReceiveBufferRequestBytes = 8 * 1024 * 1024;

    /// <summary>The receive buffer counts each ack by its skb's true size (about 768 bytes for a capped ack on
    /// x86-64), not by its 36 bytes; this bound keeps a window of acks well inside the buffer.</summary>
    private const int AckTrueSizeEstimate = 1536;

    /// <summary>
    /// Sends <paramref name="count"/> requests, as many per sendmsg as fit, then reads their acks, and returns one
    /// <see cref="NetlinkError"/> per request (errno 0: done). An error does not stop the batch. The kernel handles a
    /// datagram's messages in order, within the sendmsg, so every ack of a batch is queued when sendmsg returns; the
    /// window of requests per batch is sized to the granted receive buffer so acks never overflow it.
    /// </summary>
    public NetlinkError[] Pipeline<TState>(string operation, int count, TState state, NetlinkBatchWriter<TState> write)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(write);
        var results = new NetlinkError[count];
        int next = 0;
        while (next < count)
        {
            var socket = Socket;
            int first = next;
            if (_sequence > uint.MaxValue - (uint)count - 1)
            {
                _sequence = 0; // keep a batch's sequence numbers contiguous
            }

            uint firstSequence = _sequence + 1;
            var writer = new NetlinkMessageWriter(_sendBuffer);
            while (next < count && next - first < _maxAcksInFlight && writer.Length + MaxRequestBytes <= _sendBuffer.Length)
            {
                int start = writer.Length;
                writer.BeginMessage(0, 0, NextSequence(), socket.PortId);
                var (type, flags) = write(ref writer, next, state);
                writer.EndMessage();
                if (writer.Length - start > MaxRequestBytes)
                {
                    throw new InvalidOperationException($"request {next} of {operation} exceeds {MaxRequestBytes} bytes");
                }

                Span<byte> header = _sendBuffer.AsSpan(start);
                BinaryPrimitives.WriteUInt16LittleEndian(header[4..], type);
                BinaryPrimitives.WriteUInt16LittleEndian(header[6..], (ushort)(flags | NetlinkConstants.NLM_F_REQUEST | NetlinkConstants.NLM_F_ACK));
                next++;
            }

            Send(socket, operation, writer.Written);
            ReadAcks(socket, operation, results.AsSpan(first, next - first), firstSequence);
        }

        return results;
    }

    private void ReadAcks(NetlinkSocket socket, string operation, Span<NetlinkError> results, uint firstSequence)
    {
        var answered = new bool[results.Length];
        int pending = results.Length;
        _ackBuffer ??= new byte[AcksPerReceive * AckSlotBytes];
        while (pending > 0)
        {
            int count;
            try
            {
                count = socket.ReceiveMany(_ackBuffer, AckSlotBytes, _ackLengths);
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

            for (int datagram = 0; datagram < count; datagram++)
            {
                var bytes = _ackBuffer.AsSpan(datagram * AckSlotBytes, _ackLengths[datagram]);
                pending -= ReadAckDatagram(socket, operation, bytes, results, answered, firstSequence);
            }
        }
    }

    /// <summary>Records the acks in one datagram; returns how many it held.</summary>
    private int ReadAckDatagram(NetlinkSocket socket, string operation, ReadOnlySpan<byte> datagram, Span<NetlinkError> results, bool[] answered, uint firstSequence)
    {
        int acks = 0;
        var messages = new NetlinkMessageReader(datagram);
        while (messages.TryRead(out var message))
        {
            if (message.Header.PortId != socket.PortId)
            {
                Reset();
                throw new NetlinkProtocolException($"{operation}: reply for port id {message.Header.PortId}, this socket is {socket.PortId}");
            }

            long index = (long)message.Header.Sequence - firstSequence;
            if (index < 0)
            {
                continue; // a late reply to an earlier request
            }

            if (index >= results.Length)
            {
                Reset();
                throw new NetlinkProtocolException($"{operation}: reply with sequence {message.Header.Sequence} outside the batch");
            }

            if (message.Header.Type != NetlinkConstants.NLMSG_ERROR)
            {
                continue; // a request that also answers with data; its ack follows
            }

            if (answered[index])
            {
                Reset();
                throw new NetlinkProtocolException($"{operation}: two acks for sequence {message.Header.Sequence}");
            }

            answered[index] = true;
            results[(int)index] = NetlinkError.Parse(message);
            acks++;
        }

        return acks;
    }
}
