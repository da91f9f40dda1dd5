using System.Security.Cryptography;
using System.Text.Json;
using Reconciler.Planning.Storage;
using Reconciler.Planning.Serialization;

namespace Reconciler.Planning.Ownership;

/// <summary>
/// The ownership record as a JSON file in the state folder, replaced atomically and durably, private to root
/// (<see cref="StateFiles"/>), so a crash leaves either the old record or the new one, never half of one.
/// </summary>
public sealed class FileOwnershipStore(string path) : IOwnershipStore
{
    /// <summary>The record this store last read or wrote, with the SHA-256 of the file's bytes then. A load whose
    /// file has the same bytes returns it instead of parsing them again: the agent loads the record at every reconcile
    /// (a drift check every 30 s), and at 10,000 x 10 parsing its 10 MB allocated 56 MB for a 6.3 MB record. The bytes
    /// are still read and compared, so a record changed by anyone else (<c>reconciler apply</c> on the node, an
    /// operator, a damaged disk) is read as it is now.</summary>
    private KnownRecord? _known;

    public string Path { get; } = path;

    /// <summary>Where agents before the one-node-model kept the ARP parameters' original values; read once into
    /// the record (<see cref="OwnershipRecord.SysctlOriginals"/>) and removed at the next save.</summary>
    private string LegacySysctlPath => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!, "arp-sysctl.json");

    public OwnershipRecord Load()
    {
        var record = LoadRecord();
        if (record.SysctlOriginals.Count == 0 && File.Exists(LegacySysctlPath))
        {
            try
            {
                var originals = JsonSerializer.Deserialize(File.ReadAllText(LegacySysctlPath), PlanningJsonContext.Default.DictionaryStringString);
                if (originals is { Count: > 0 })
                {
                    record = record with { SysctlOriginals = new Dictionary<string, string>(originals, StringComparer.Ordinal) };
                }
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{LegacySysctlPath}: not valid JSON ({e.Message}); it holds the ARP parameters' values from before reconciler changed them: fix or remove it", e);
            }
        }

        return record;
    }

    private OwnershipRecord LoadRecord()
    {
        if (!File.Exists(Path))
        {
            return OwnershipRecord.Empty;
        }

        // Hashed as it is read (no copy of the file in memory), then parsed from the same open file only when it is
        // not the one known: a record replaced meanwhile (a new file renamed over it) is read whole as it was.
        using var stream = File.OpenRead(Path);
        var hash = SHA256.HashData(stream);
        if (Volatile.Read(ref _known) is { } known && known.Hash.AsSpan().SequenceEqual(hash))
        {
            return known.Record;
        }

        OwnershipRecord? record;
        try
        {
            stream.Position = 0;
            record = JsonSerializer.Deserialize(stream, PlanningJsonContext.Default.OwnershipRecord);
        }
        catch (JsonException e)
        {
            throw Unreadable($"it is not valid JSON ({e.Message})", e);
        }

        // Valid JSON is not yet a record: "null" or "{}" read as an empty one would make the planner forget what it owns.
        if (MissingPart(record) is { } missing)
        {
            throw Unreadable($"it is not a whole ownership record ({missing} is missing)", null);
        }

        Volatile.Write(ref _known, new KnownRecord(hash, record!));
        return record!;
    }

    /// <summary>
    /// The error for a record that cannot be read: the file, why, that nothing is changed meanwhile, and the two ways
    /// out (restore it, or move it aside and start a new record, with what that means for the kernel's objects).
    /// </summary>
    private InvalidDataException Unreadable(string reason, Exception? inner) => new(
        $"{Path}: the ownership record (what reconciler applied on this node, so what it may change and remove) cannot be read: {reason}. " +
        $"Nothing is changed until it is fixed: restore it from a backup, or move it aside (mv {Path} {Path}.damaged) and reconciler starts a new " +
        "record: it adopts the objects the topology declares as the kernel holds them (and brings them to the topology), leaves every other " +
        "object in the kernel alone as unmanaged, and no longer removes what it had added that the topology no longer declares (remove that by hand)",
        inner);

    /// <summary>The first part a deserialized record lacks (JSON without it still deserializes, with null there), or null.</summary>
    private static string? MissingPart(OwnershipRecord? record)
    {
        if (record is null)
        {
            return "the record";
        }

        if (record.Services is null)
        {
            return "'services'";
        }

        if (record.Addresses is null)
        {
            return "'addresses'";
        }

        for (var i = 0; i < record.Services.Count; i++)
        {
            var service = record.Services[i];
            if (service is null)
            {
                return $"services[{i}]";
            }

            if (service.Settings?.Key is null || service.Settings.Scheduler is null)
            {
                return $"services[{i}].settings";
            }

            if (service.Destinations is null)
            {
                return $"services[{i}].destinations";
            }

            for (var j = 0; j < service.Destinations.Count; j++)
            {
                if (service.Destinations[j]?.Settings?.Address is null)
                {
                    return $"services[{i}].destinations[{j}].settings";
                }
            }
        }

        for (var i = 0; i < record.SyncDaemons.Count; i++)
        {
            if (record.SyncDaemons[i]?.MulticastInterface is null)
            {
                return $"syncDaemons[{i}].multicastInterface";
            }
        }

        for (var i = 0; i < record.Addresses.Count; i++)
        {
            var address = record.Addresses[i];
            if (address is null)
            {
                return $"addresses[{i}]";
            }

            if (address.Interface is null || address.Address?.Address is null)
            {
                return $"addresses[{i}].interface or .address";
            }
        }

        return null;
    }

    /// <summary>The record's JSON without indentation: at 1,000 x 10 it is 2.3 MB instead of 4.3 MB, and every
    /// <c>plan</c> and <c>apply</c> reads it whole (<c>jq . ownership.json</c> shows it indented).</summary>
    private static readonly PlanningJsonContext Compact = new(new JsonSerializerOptions(PlanningJsonContext.Default.Options) { WriteIndented = false });

    public void Save(OwnershipRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Volatile.Write(ref _known, null);
        var json = Serialize(record);
        StateFiles.WriteAtomically(Path, stream => stream.Write(json.WrittenSpan));
        File.Delete(LegacySysctlPath);
        Volatile.Write(ref _known, new KnownRecord(SHA256.HashData(json.WrittenSpan), record));
    }

    /// <summary>
    /// The record's JSON (the bytes <see cref="JsonSerializer.SerializeToUtf8Bytes{TValue}(TValue, System.Text.Json.Serialization.Metadata.JsonTypeInfo{TValue})"/>
    /// gives), in a buffer of its own. SerializeToUtf8Bytes grows its buffer with arrays rented from the shared
    /// <see cref="System.Buffers.ArrayPool{T}"/> and returns them there: at 10,000 x 10 (a 10 MB record) the pool then
    /// kept 69 MB of them, which it gives back only on a full collection a minute later. These arrays are garbage
    /// once the file is written.
    /// </summary>
    private static System.Buffers.ArrayBufferWriter<byte> Serialize(OwnershipRecord record)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64 * 1024);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Compact.Options.Encoder, Indented = false, SkipValidation = true }))
        {
            JsonSerializer.Serialize(writer, record, Compact.OwnershipRecord);
        }

        return buffer;
    }

    private sealed record KnownRecord(byte[] Hash, OwnershipRecord Record);
}
