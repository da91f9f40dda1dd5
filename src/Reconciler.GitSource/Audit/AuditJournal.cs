using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Reconciler.GitSource.Source;
using Reconciler.Planning.Serialization;
using Reconciler.Planning.Storage;

namespace Reconciler.GitSource.Audit;

/// <summary>
/// An append-only JSON-lines journal (<c>StateDirectory/audit.jsonl</c> by default): one entry a line, the file
/// opened in append mode and flushed to disk per entry. A crash mid-write leaves at most a torn last line: the
/// next append starts on a fresh line, and reading skips (and counts) lines that do not parse.
/// </summary>
public sealed class AuditJournal(string path)
{
    public const string DefaultFileName = "audit.jsonl";

    private static readonly GitSourceJsonContext Json = new(CreateOptions());
    private readonly Lock _lock = new();

    public string Path { get; } = path;

    public static AuditJournal InStateDirectory(string stateDirectory) => new(System.IO.Path.Combine(stateDirectory, DefaultFileName));

    /// <summary>Appends one entry and flushes it to disk. Throws <see cref="AuditJournalException"/> when it cannot.</summary>
    public void Append(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entry, Json.AuditEntry) + "\n");
        lock (_lock)
        {
            try
            {
                var needsNewline = EndsWithoutNewline();
                using var stream = StateFiles.OpenAppend(Path);
                if (needsNewline)
                {
                    stream.WriteByte((byte)'\n');
                }

                stream.Write(line);
                stream.Flush(flushToDisk: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                throw new AuditJournalException(Path, $"cannot write the audit journal {Path}: {e.Message}", e);
            }
        }
    }

    /// <summary>True when a previous write was torn (the file does not end with a newline).</summary>
    private bool EndsWithoutNewline()
    {
        var info = new FileInfo(Path);
        if (!info.Exists || info.Length == 0)
        {
            return false;
        }

        using var read = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        read.Seek(-1, SeekOrigin.End);
        return read.ReadByte() != '\n';
    }

    /// <summary>Every readable entry in order; torn or corrupt lines are skipped and counted.</summary>
    public AuditReadResult Read()
    {
        if (!File.Exists(Path))
        {
            return new AuditReadResult([], 0);
        }

        var entries = new List<AuditEntry>();
        var skipped = 0;
        try
        {
            using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            while (reader.ReadLine() is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                try
                {
                    if (JsonSerializer.Deserialize(line, Json.AuditEntry) is { } entry)
                    {
                        entries.Add(entry);
                    }
                    else
                    {
                        skipped++;
                    }
                }
                catch (JsonException)
                {
                    skipped++;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AuditJournalException(Path, $"cannot read the audit journal {Path}: {e.Message}", e);
        }

        return new AuditReadResult(entries, skipped);
    }

    /// <summary>
    /// The newest entry <paramref name="match"/> accepts, or null when none does (or there is no journal). Reads the
    /// file backwards from its end, a block at a time, and stops at that entry: the cost follows how far back it lies,
    /// not how long the journal has grown. Torn or corrupt lines are skipped as <see cref="Read"/> skips them, so a
    /// crash mid-append falls back to the last complete line.
    /// </summary>
    public AuditEntry? FindLast(Func<AuditEntry, bool> match) => FindLast(match, BackwardLineReader.DefaultBlockSize);

    internal AuditEntry? FindLast(Func<AuditEntry, bool> match, int blockSize)
    {
        ArgumentNullException.ThrowIfNull(match);
        if (!File.Exists(Path))
        {
            return null;
        }

        try
        {
            using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
            foreach (var line in BackwardLineReader.LinesFromEnd(stream, blockSize))
            {
                if (Parse(line) is { } entry && match(entry))
                {
                    return entry;
                }
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AuditJournalException(Path, $"cannot read the audit journal {Path}: {e.Message}", e);
        }
    }

    /// <summary>One line's entry, or null when the line is torn or corrupt. Decoded as <see cref="Read"/> decodes it
    /// (invalid UTF-8 replaced), so both read a damaged journal alike.</summary>
    private static AuditEntry? Parse(byte[] line)
    {
        try
        {
            return JsonSerializer.Deserialize(Encoding.UTF8.GetString(line), Json.AuditEntry);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The journal's JSON form of one entry (camelCase, outcomes as lower-case strings).</summary>
    public static string Serialize(AuditEntry entry) => JsonSerializer.Serialize(entry, Json.AuditEntry);

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            RespectNullableAnnotations = true,
        };
        AddEnumConverters(options);
        return options;
    }

    /// <summary>The enums of an <see cref="AuditEntry"/> as kebab-case strings (the history's JSON uses them too).</summary>
    internal static void AddEnumConverters(JsonSerializerOptions options)
    {
        options.Converters.Add(new KebabCaseEnumConverter<AuditOutcome>());
        options.Converters.Add(new KebabCaseEnumConverter<RejectionKind>());
    }
}

/// <summary>The journal's entries and how many lines could not be read (a torn last line after a crash).</summary>
public sealed record AuditReadResult(IReadOnlyList<AuditEntry> Entries, int SkippedLines);
