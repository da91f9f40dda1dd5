using System.Net.Sockets;
using Reconciler.Linux.Ipvs;
using Reconciler.Linux.Netlink;
using Reconciler.Linux.Route;
using Reconciler.Testing.Fuzzing;

namespace Reconciler.Linux.Tests.Fuzzing;

/// <summary>
/// The netlink decoders under bounded fuzzing (corpus: tests/corpus/netlink, datagrams the 6.1 kernel sent ipvsadm in
/// the lab, and route dump entries). Every received datagram is walked message by message and each message is read by
/// every decoder: the netlink error, the generic netlink controller, the IPVS service, destination, info, timeout and
/// sync daemon readers, the route address and link readers, and a walk of all attributes, nested ones included. The
/// contract: malformed input fails with <see cref="NetlinkProtocolException"/> only, never another exception.
/// </summary>
public sealed class NetlinkDecoderFuzzTests
{
    private const string Target = "netlink";

    /// <summary>The mutations a run tries (FUZZ_INPUTS overrides): about 3 s on a two-core build machine.</summary>
    private const long Mutations = 10_000;

    private delegate object? MessageDecoder(NetlinkMessage message);

    private static readonly MessageDecoder[] Decoders =
    [
        static m => NetlinkError.Parse(m),
        static m => m.GenericCommand,
        static m => GenericNetlinkFamily.ReadFamilyId(m),
        static m => IpvsMessageDecoder.ReadServiceMessage(m),
        static m => IpvsMessageDecoder.ReadDestinationMessage(m, AddressFamily.InterNetwork),
        static m => IpvsMessageDecoder.ReadDestinationMessage(m, AddressFamily.InterNetworkV6),
        static m => IpvsMessageDecoder.ReadInfo(m),
        static m => IpvsMessageDecoder.ReadTimeouts(m),
        static m => IpvsMessageDecoder.ReadDaemonMessage(m),
        static m => RouteMessages.TryReadAddress(m, out var address) ? address : null,
        static m => RouteMessages.ReadLink(m),
        static m => WalkAttributes(m.Attributes(GenericNetlink.GENL_HDRLEN), 0),
        static m => WalkAttributes(m.Attributes(RouteNetlink.IfAddressMessageLength), 0),
        static m => WalkAttributes(m.Attributes(RouteNetlink.IfInfoMessageLength), 0),
    ];

    public static TheoryData<string> CorpusFiles() => FuzzCorpus.Names(Target);

    [Fact]
    public void Decode_MutatedDatagrams_KeepsTheContract() => MutationFuzzer.Check(Target, FuzzInputKind.Binary, CheckContract, Mutations, maxInputBytes: 16 * 1024);

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Decode_CorpusFile_KeepsTheContract(string file) => CheckContract(FuzzCorpus.Load(Target).Get(file).Bytes);

    [Fact]
    public void CapturedServiceDump_DecodesWithoutProtocolErrors()
    {
        // The seeds are well-formed: the fuzzer starts from inputs every reader of their kind accepts.
        var reader = new NetlinkMessageReader(FuzzCorpus.Load(Target).Get("ipvs-services-dump.bin").Bytes);
        var services = 0;
        while (reader.TryRead(out var message))
        {
            Assert.NotNull(IpvsMessageDecoder.ReadServiceMessage(message).ToString());
            services++;
        }

        Assert.True(services > 1);
    }

    internal static void CheckContract(byte[] datagram)
    {
        var reader = new NetlinkMessageReader(datagram);
        while (true)
        {
            NetlinkMessage message;
            try
            {
                if (!reader.TryRead(out message))
                {
                    return;
                }
            }
            catch (NetlinkProtocolException)
            {
                return;
            }

            foreach (var decode in Decoders)
            {
                try
                {
                    // ToString touches every field of what was decoded.
                    _ = decode(message)?.ToString();
                }
                catch (NetlinkProtocolException)
                {
                }
            }
        }
    }

    /// <summary>Reads every attribute with every getter, and each one's value again as nested attributes (to a depth of 4).</summary>
    private static int WalkAttributes(NetlinkAttributeReader attributes, int depth)
    {
        var count = 0;
        while (attributes.TryRead(out var attribute))
        {
            count++;
            _ = attribute.GetString();
            TryGet(attribute, static a => a.GetUInt8());
            TryGet(attribute, static a => a.GetUInt16());
            TryGet(attribute, static a => a.GetUInt16BigEndian());
            TryGet(attribute, static a => a.GetUInt32());
            TryGet(attribute, static a => a.GetUInt64());
            if (depth < 4)
            {
                try
                {
                    count += WalkAttributes(attribute.Nested, depth + 1);
                }
                catch (NetlinkProtocolException)
                {
                }
            }
        }

        return count;
    }

    private delegate ulong AttributeGetter(NetlinkAttribute attribute);

    private static void TryGet(NetlinkAttribute attribute, AttributeGetter get)
    {
        try
        {
            get(attribute);
        }
        catch (NetlinkProtocolException)
        {
        }
    }
}
