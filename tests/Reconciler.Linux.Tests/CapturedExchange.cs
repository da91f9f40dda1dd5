namespace Reconciler.Linux.Tests;

/// <summary>One captured ipvsadm run: the command and its datagrams in order.</summary>
internal sealed record CapturedExchange(string Command, IReadOnlyList<CapturedDatagram> Datagrams, string Output)
{
    public static CapturedExchange Load(string number)
    {
        string directory = Path.Combine(AppContext.BaseDirectory, "Vectors");
        string[] lines = File.ReadAllLines(Path.Combine(directory, number + ".txt"));
        string command = lines[0].TrimStart('#', ' ');
        var datagrams = lines
            .Where(line => line.StartsWith('>') || line.StartsWith('<'))
            .Select(line => new CapturedDatagram(line[0] == '>', Convert.FromHexString(line[2..])))
            .ToList();
        string output = File.ReadAllText(Path.Combine(directory, number + ".stdout"));
        return new CapturedExchange(command, datagrams, output);
    }

    public static IEnumerable<string> All() => Directory
        .GetFiles(Path.Combine(AppContext.BaseDirectory, "Vectors"), "*.txt")
        .Select(Path.GetFileNameWithoutExtension)
        .Order()!;

    /// <summary>The sent datagrams addressed to the IPVS family (0x20 in these captures).</summary>
    public IEnumerable<byte[]> SentToIpvs() => Datagrams.Where(d => d.Sent && d.MessageType == IpvsFamilyId).Select(d => d.Bytes);

    public IEnumerable<byte[]> ReceivedFromIpvs() => Datagrams.Where(d => !d.Sent).Select(d => d.Bytes);

    public const ushort IpvsFamilyId = 0x20;
}

internal sealed record CapturedDatagram(bool Sent, byte[] Bytes)
{
    public ushort MessageType => System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(Bytes.AsSpan(4));
}
