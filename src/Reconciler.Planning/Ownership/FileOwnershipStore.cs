using System.Text.Json;
using Reconciler.Planning.Serialization;

namespace Reconciler.Planning.Ownership;

/// <summary>
/// The ownership record as a JSON file in the state folder, replaced atomically (write a temporary file, flush it
/// to disk, rename over the old one), so a crash leaves either the old record or the new one, never half of one.
/// </summary>
public sealed class FileOwnershipStore(string path) : IOwnershipStore
{
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
                var originals = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(LegacySysctlPath));
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

        try
        {
            using var stream = File.OpenRead(Path);
            return JsonSerializer.Deserialize<OwnershipRecord>(stream, PlanningJson.Options) ?? OwnershipRecord.Empty;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{Path}: the ownership record is not valid JSON ({e.Message}); move it away to start afresh", e);
        }
    }

    public void Save(OwnershipRecord record)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        Directory.CreateDirectory(directory);
        var temporary = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(Path)}.{Environment.ProcessId}.tmp");
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, record, PlanningJson.Options);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, Path, overwrite: true);
        File.Delete(LegacySysctlPath);
    }
}
