using System.Buffers.Binary;
using System.Text;
using Reconciler.Topology.Model;

namespace Reconciler.Health.Probes;

/// <summary>
/// The two DNS messages of keepalived's DNS_CHECK (<c>check_dns.c</c>), on bytes (RFC 1035 section 4.1): the query
/// it sends (one question, class IN, RD set, nothing else) and its reading of the answer (<see cref="Read"/>).
/// </summary>
internal static class DnsMessage
{
    public const int HeaderLength = 12;

    // Header flags (RFC 1035 4.1.1).
    private const ushort QueryResponse = 0x8000;
    private const ushort RecursionDesired = 0x0100;
    private const ushort ResponseCodeMask = 0x000f;
    private const ushort ClassInternet = 1;

    /// <summary>The types keepalived's <c>type</c> keyword knows, by its names (any case): <see cref="DnsQuery"/>'s,
    /// the table the validator checks too.</summary>
    public static bool TryGetType(string name, out ushort type) => DnsQuery.TryGetType(name, out type);

    /// <summary>The question section for <paramref name="name"/> (<c>.</c> is the root; a trailing dot is
    /// optional) and <paramref name="type"/>, class IN; built once per probe. A name <see cref="DnsQuery.NameError"/>
    /// refuses is refused here with the same words.</summary>
    public static bool TryEncodeQuestion(string name, ushort type, out byte[] question, out string? error)
    {
        question = [];
        error = DnsQuery.NameError(name);
        if (error is not null)
        {
            return false;
        }

        var labels = name == "." ? [] : name.EndsWith('.') ? name[..^1].Split('.') : name.Split('.');
        var wire = new List<byte>(name.Length + 6);
        foreach (var label in labels)
        {
            wire.Add((byte)label.Length);
            wire.AddRange(Encoding.ASCII.GetBytes(label));
        }

        wire.Add(0);
        Span<byte> tail = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16BigEndian(tail, type);
        BinaryPrimitives.WriteUInt16BigEndian(tail[2..], ClassInternet);
        wire.AddRange(tail);
        question = [.. wire];
        return true;
    }

    /// <summary>Writes the query (header with <paramref name="id"/>, then <paramref name="question"/>) into
    /// <paramref name="destination"/>; returns its length.</summary>
    public static int WriteQuery(Span<byte> destination, ushort id, ReadOnlySpan<byte> question)
    {
        var header = destination[..HeaderLength];
        header.Clear();
        BinaryPrimitives.WriteUInt16BigEndian(header, id);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], RecursionDesired);
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], 1); // QDCOUNT
        question.CopyTo(destination[HeaderLength..]);
        return HeaderLength + question.Length;
    }

    /// <summary>keepalived's reading of a datagram: shorter than a header, another id or not a response, and it
    /// waits on for the answer; a response with a non-zero RCODE fails the check; any other passes it (answers or
    /// not: NOERROR with no data is a server that works).</summary>
    public static DnsReply Read(ReadOnlySpan<byte> datagram, ushort id)
    {
        if (datagram.Length < HeaderLength)
        {
            return new DnsReply(DnsReplyKind.TooShort, 0, 0);
        }

        if (BinaryPrimitives.ReadUInt16BigEndian(datagram) != id)
        {
            return new DnsReply(DnsReplyKind.OtherId, 0, 0);
        }

        var flags = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        if ((flags & QueryResponse) == 0)
        {
            return new DnsReply(DnsReplyKind.NotResponse, 0, 0);
        }

        var rcode = flags & ResponseCodeMask;
        var answers = BinaryPrimitives.ReadUInt16BigEndian(datagram[6..]);
        return new DnsReply(rcode == 0 ? DnsReplyKind.Answer : DnsReplyKind.Error, rcode, answers);
    }

    /// <summary>RFC 1035 / 6895 names of the response codes a check meets.</summary>
    public static string RcodeName(int rcode) => rcode switch
    {
        0 => "NOERROR",
        1 => "FORMERR",
        2 => "SERVFAIL",
        3 => "NXDOMAIN",
        4 => "NOTIMP",
        5 => "REFUSED",
        _ => "RCODE" + rcode.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

internal enum DnsReplyKind
{
    /// <summary>Not even a header: ignored.</summary>
    TooShort,

    /// <summary>An answer to another query: ignored.</summary>
    OtherId,

    /// <summary>QR clear (a query, not a response): ignored.</summary>
    NotResponse,

    /// <summary>A response with RCODE 0: healthy.</summary>
    Answer,

    /// <summary>A response with an error RCODE: unhealthy.</summary>
    Error,
}

/// <param name="Kind">What keepalived makes of the datagram.</param>
/// <param name="Rcode">The response code (responses only).</param>
/// <param name="Answers">ANCOUNT (responses only), for the detail.</param>
internal readonly record struct DnsReply(DnsReplyKind Kind, int Rcode, int Answers)
{
    /// <summary>Whether the probe waits on for another datagram.</summary>
    public bool Ignored => Kind is DnsReplyKind.TooShort or DnsReplyKind.OtherId or DnsReplyKind.NotResponse;
}
