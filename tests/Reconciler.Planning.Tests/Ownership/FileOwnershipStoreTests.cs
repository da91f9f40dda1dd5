using System.Text;
using System.Text.Json;
using Reconciler.Ipvs;
using Reconciler.Planning.Ownership;
using Reconciler.Planning.Serialization;
using static Reconciler.Planning.Tests.Samples;

namespace Reconciler.Planning.Tests.Ownership;

/// <summary>
/// The ownership record on disk. A record that cannot be read must stop everything that would plan from it, with an
/// error that names the file and says how to recover: read as empty, it would make the planner forget what it owns.
/// </summary>
public sealed class FileOwnershipStoreTests : IDisposable
{
    private static readonly ServiceKey Web = Tcp("10.0.0.100", 80);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"reconciler-test-{Guid.NewGuid():N}");

    private string RecordPath => Path.Combine(_directory, "ownership.json");

    private static OwnershipRecord SampleRecord => new(
        [new OwnedService(Service(Web, persistence: 50), [new OwnedDestination(Destination("10.0.0.1"), Now), new OwnedDestination(Destination("10.0.0.2"))])],
        [new OwnedAddress("lo", new Reconciler.Topology.Model.InterfaceAddress(System.Net.IPAddress.Parse("10.0.0.100"), 32))]);

    [Fact]
    public void SaveThenLoad_GivesTheSameRecordAndLeavesNoTemporaryFile()
    {
        var store = new FileOwnershipStore(RecordPath);
        store.Save(SampleRecord);

        var loaded = new FileOwnershipStore(RecordPath).Load(); // a store of its own: read from the file

        Assert.Equal(JsonSerializer.Serialize(SampleRecord, PlanningJson.Options), JsonSerializer.Serialize(loaded, PlanningJson.Options));
        Assert.Equal(Now, loaded.Services[0].Destinations[0].DrainingSince);
        Assert.Equal(["ownership.json"], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public void Save_WritesTheCompactJsonOfTheRecord_ByteForByte()
    {
        var record = SampleRecord with { SysctlOriginals = new Dictionary<string, string>(StringComparer.Ordinal) { ["net.ipv4.conf.all.arp_ignore"] = "0 <é>" } };

        new FileOwnershipStore(RecordPath).Save(record);

        var options = new JsonSerializerOptions(PlanningJsonContext.Default.Options) { WriteIndented = false };
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(record, new PlanningJsonContext(options).OwnershipRecord), File.ReadAllBytes(RecordPath));
    }

    [Fact]
    public void Load_FileUnchanged_TheRecordKnownFromTheLastReadOrWrite()
    {
        var store = new FileOwnershipStore(RecordPath);
        var saved = SampleRecord;
        store.Save(saved);
        Assert.Same(saved, store.Load());

        var other = new FileOwnershipStore(RecordPath);
        var first = other.Load();
        Assert.NotSame(saved, first);
        Assert.Same(first, other.Load());
    }

    [Fact]
    public void Load_FileRewrittenByAnotherWriter_ReadsWhatTheFileHoldsNow()
    {
        var store = new FileOwnershipStore(RecordPath);
        store.Save(SampleRecord);
        Assert.Equal(2, store.Load().Services[0].Destinations.Count);

        // Another process (reconciler apply on the node) saves a record of the same length: only a weight differs.
        var text = File.ReadAllText(RecordPath);
        Assert.Contains("\"weight\":1", text, StringComparison.Ordinal);
        File.WriteAllText(RecordPath, ReplaceFirst(text, "\"weight\":1", "\"weight\":7"));

        var loaded = store.Load();
        Assert.Equal(7, loaded.Services[0].Destinations[0].Settings.Weight);
        Assert.Same(loaded, store.Load());

        new FileOwnershipStore(RecordPath).Save(OwnershipRecord.Empty);
        Assert.Empty(store.Load().Services);
    }

    private static string ReplaceFirst(string text, string from, string to)
    {
        var at = text.IndexOf(from, StringComparison.Ordinal);
        return string.Concat(text.AsSpan(0, at), to, text.AsSpan(at + from.Length));
    }

    [Fact]
    public void Load_NoFile_IsTheEmptyRecord() =>
        Assert.Same(OwnershipRecord.Empty, new FileOwnershipStore(RecordPath).Load());

    public static TheoryData<string> Damages() =>
    [
        "cut in half", "cut after one byte", "empty", "garbage", "binary noise",
        "json null", "empty object", "list", "services null", "service null", "service without settings", "address without fields",
    ];

    [Theory]
    [MemberData(nameof(Damages))]
    public void Load_DamagedRecord_RefusedNamingTheFileAndHowToRecover(string damage)
    {
        var store = new FileOwnershipStore(RecordPath);
        store.Save(SampleRecord);
        Damage(RecordPath, damage);

        var error = Assert.Throws<InvalidDataException>(() => store.Load());

        TestContext.Current.SendDiagnosticMessage($"{damage}: {error.Message}");
        AssertSaysHowToRecover(error.Message, RecordPath);
    }

    /// <summary>What an operator must read in the error: which file, that nothing is changed meanwhile, and both ways out.</summary>
    internal static void AssertSaysHowToRecover(string message, string path)
    {
        Assert.StartsWith(path + ": ", message, StringComparison.Ordinal);
        Assert.Contains("ownership record", message, StringComparison.Ordinal);
        Assert.Contains("Nothing is changed until it is fixed", message, StringComparison.Ordinal);
        Assert.Contains("restore it from a backup", message, StringComparison.Ordinal);
        Assert.Contains($"mv {path} {path}.damaged", message, StringComparison.Ordinal);
    }

    /// <summary>Damages the record file the way a full disk, a crash of another writer or an editor might.</summary>
    internal static void Damage(string path, string damage)
    {
        var bytes = File.ReadAllBytes(path);
        byte[] damaged = damage switch
        {
            "cut in half" => bytes[..(bytes.Length / 2)],
            "cut after one byte" => bytes[..1],
            "empty" => [],
            "garbage" => Encoding.UTF8.GetBytes("ownership: yes\nservices: [web]\n"),
            "binary noise" => [0x00, 0xff, 0xfe, 0x7b, 0x22, 0x00, 0x80],
            "json null" => Encoding.UTF8.GetBytes("null"),
            "empty object" => Encoding.UTF8.GetBytes("{}"),
            "list" => Encoding.UTF8.GetBytes("[]"),
            "services null" => Encoding.UTF8.GetBytes("{\"services\": null, \"addresses\": []}"),
            "service null" => Encoding.UTF8.GetBytes("{\"services\": [null], \"addresses\": []}"),
            "service without settings" => Encoding.UTF8.GetBytes("{\"services\": [{\"destinations\": []}], \"addresses\": []}"),
            "address without fields" => Encoding.UTF8.GetBytes("{\"services\": [], \"addresses\": [{}]}"),
            _ => throw new ArgumentOutOfRangeException(nameof(damage), damage, null),
        };
        File.WriteAllBytes(path, damaged);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
