using Reconciler.GitSource.Audit;
using Reconciler.GitSource.Source;
using Reconciler.GitSource.Tests.Fixtures;

namespace Reconciler.GitSource.Tests.Audit;

public sealed class AuditJournalTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();

    internal static CommitInfo Commit(string sha, string subject, int minutes = 0) =>
        new(sha.PadRight(40, '0'), "Alice Admin", "alice@example.org", T0.AddMinutes(minutes), "CI Bot", "ci@example.org", T0.AddMinutes(minutes), subject);

    [Fact]
    public void Append_ThenRead_RoundTripsEveryField()
    {
        var journal = AuditJournal.InStateDirectory(Path.Combine(_temp.Path, "state"));
        var applied = AuditEntry.For(T0, "lb1", Commit("aaaa", "Seed"), AuditOutcome.Applied, plan: new AuditPlanSummary(3, 1, 0, 1), operationsApplied: 4, result: "ok");
        var rejected = AuditEntry.For(T0.AddMinutes(1), "lb1", Commit("bbbb", "Break"), AuditOutcome.Rejected, ["topology/lb.yaml:13:17: error: weight too big"]);
        journal.Append(applied);
        journal.Append(rejected);

        var read = journal.Read();
        Assert.Equal(0, read.SkippedLines);
        Assert.Equal(2, read.Entries.Count);
        Assert.Equal(applied with { Reasons = [] }, read.Entries[0] with { Reasons = [] });
        Assert.Equal(rejected.Reasons, read.Entries[1].Reasons);
        Assert.Equal("Alice Admin <alice@example.org>", read.Entries[0].Author);

        var lines = File.ReadAllLines(journal.Path);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("{\"time\":\"2026-11-25T10:00:00+00:00\",\"node\":\"lb1\",\"commit\":\"aaaa", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"outcome\":\"applied\"", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"plan\":{\"adds\":3,\"changes\":1,\"destroys\":0,\"drift\":1}", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TornLastLine_SkippedAndNextAppendStartsOnFreshLine()
    {
        var journal = new AuditJournal(Path.Combine(_temp.Path, "audit.jsonl"));
        journal.Append(AuditEntry.For(T0, "lb1", Commit("aaaa", "Seed"), AuditOutcome.Applied));
        var whole = AuditJournal.Serialize(AuditEntry.For(T0, "lb1", Commit("bbbb", "Torn"), AuditOutcome.Applied));
        File.AppendAllText(journal.Path, whole[..(whole.Length / 2)]); // a crash mid-write

        var torn = journal.Read();
        Assert.Single(torn.Entries);
        Assert.Equal(1, torn.SkippedLines);

        journal.Append(AuditEntry.For(T0.AddMinutes(2), "lb1", Commit("cccc", "After the crash"), AuditOutcome.Skipped, ["superseded"]));
        var after = journal.Read();
        Assert.Equal(["aaaa", "cccc"], after.Entries.Select(e => e.Commit[..4]));
        Assert.Equal(1, after.SkippedLines);
    }

    [Fact]
    public void Read_MissingFile_Empty() =>
        Assert.Empty(new AuditJournal(Path.Combine(_temp.Path, "none.jsonl")).Read().Entries);

    [Fact]
    public void FindLast_FiftyThousandLines_SameEntriesAsReadingTheWholeJournal()
    {
        var journal = new AuditJournal(Path.Combine(_temp.Path, "audit.jsonl"));
        var lines = Enumerable.Range(0, 50_000).Select(i => AuditJournal.Serialize(AuditEntry.For(
            T0.AddMinutes(i),
            i >= 48_000 || i % 3 == 0 ? "lb2" : "lb1",
            Commit(i.ToString("x8", System.Globalization.CultureInfo.InvariantCulture), $"Change {i}"),
            i % 5 == 0 ? AuditOutcome.Rejected : AuditOutcome.Applied)));
        File.WriteAllLines(journal.Path, lines);

        // The last 2,000 lines are lb2's: the newest lb1 entry that is not a rejection lies many blocks back; an lb3
        // entry lies nowhere, so that question reads the whole journal backwards.
        Func<AuditEntry, bool>[] questions =
        [
            _ => true,
            e => e.Node == "lb1" && e.Outcome != AuditOutcome.Rejected,
            e => e.Node == "lb2" && e.Outcome == AuditOutcome.Rejected,
            e => e.Commit.StartsWith("00000000", StringComparison.Ordinal),
            e => e.Node == "lb3",
        ];
        var entries = journal.Read().Entries;
        Assert.Equal(50_000, entries.Count);
        foreach (var question in questions)
        {
            Assert.Equal(Json(entries.LastOrDefault(question)), Json(journal.FindLast(question)));
        }

        Assert.Equal("0000bb7f", journal.FindLast(e => e.Node == "lb1" && e.Outcome != AuditOutcome.Rejected)?.Commit[..8]);
        Assert.Null(journal.FindLast(e => e.Node == "lb3"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(100)]
    [InlineData(4096)]
    public void FindLast_AnyBlockSize_LinesSplitAcrossBlocksJoinedWhole(int blockSize)
    {
        var journal = new AuditJournal(Path.Combine(_temp.Path, "audit.jsonl"));
        var subjects = new[] { "Seed", "Gewichtung für web ↑ (5 → 8)", "", "x", "Drain 10.0.1.2 ✓" };
        for (var i = 0; i < subjects.Length; i++)
        {
            journal.Append(AuditEntry.For(T0.AddMinutes(i), "lb1", Commit($"{i:x4}", subjects[i]), AuditOutcome.Applied));
        }

        var entries = journal.Read().Entries;
        for (var i = 0; i < subjects.Length; i++)
        {
            var sha = entries[i].Commit;
            Assert.Equal(Json(entries[i]), Json(journal.FindLast(e => e.Commit == sha, blockSize)));
        }
    }

    [Fact]
    public void FindLast_TornLastLine_FallsBackToTheLastCompleteLine()
    {
        var journal = new AuditJournal(Path.Combine(_temp.Path, "audit.jsonl"));
        journal.Append(AuditEntry.For(T0, "lb1", Commit("aaaa", "Seed"), AuditOutcome.Applied));
        journal.Append(AuditEntry.For(T0.AddMinutes(1), "lb1", Commit("bbbb", "Second"), AuditOutcome.Applied));
        var whole = AuditJournal.Serialize(AuditEntry.For(T0.AddMinutes(2), "lb1", Commit("cccc", "Torn"), AuditOutcome.Applied));
        File.AppendAllText(journal.Path, whole[..(whole.Length - 1)]); // a crash before the closing brace and newline

        Assert.Equal("bbbb", journal.FindLast(_ => true)?.Commit[..4]);
        Assert.Equal("bbbb", journal.FindLast(_ => true, blockSize: 16)?.Commit[..4]);
    }

    [Fact]
    public void FindLast_TornLineFollowedByAnAppend_NewestCompleteLineFirstThenPastTheTornOne()
    {
        var journal = new AuditJournal(Path.Combine(_temp.Path, "audit.jsonl"));
        journal.Append(AuditEntry.For(T0, "lb1", Commit("aaaa", "Seed"), AuditOutcome.Applied));
        var whole = AuditJournal.Serialize(AuditEntry.For(T0.AddMinutes(1), "lb1", Commit("bbbb", "Torn"), AuditOutcome.Applied));
        File.AppendAllText(journal.Path, whole[..(whole.Length / 2)]);
        journal.Append(AuditEntry.For(T0.AddMinutes(2), "lb2", Commit("cccc", "After the crash"), AuditOutcome.Applied));

        Assert.Equal("cccc", journal.FindLast(_ => true)?.Commit[..4]);
        Assert.Equal("aaaa", journal.FindLast(e => e.Node == "lb1")?.Commit[..4]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("\n\n")]
    [InlineData("{\"time\":\"2026-11-25T10:00:00+00:00\",\"node\":\"lb1\",\"comm")]
    public void FindLast_MissingEmptyOrNothingComplete_None(string? content)
    {
        var journal = new AuditJournal(Path.Combine(_temp.Path, "audit.jsonl"));
        if (content is not null)
        {
            File.WriteAllText(journal.Path, content);
        }

        Assert.Null(journal.FindLast(_ => true));
    }

    [Fact]
    public void Append_StateFolderIsAFile_ClearException()
    {
        var blocker = Path.Combine(_temp.Path, "state");
        File.WriteAllText(blocker, "not a folder");
        var journal = AuditJournal.InStateDirectory(blocker);
        var e = Assert.Throws<AuditJournalException>(() => journal.Append(AuditEntry.For(T0, "lb1", Commit("aaaa", "x"), AuditOutcome.Applied)));
        Assert.Equal(journal.Path, e.JournalPath);
        Assert.StartsWith($"cannot write the audit journal {journal.Path}: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Append_DiskFull_ClearException()
    {
        // /dev/full fails every write with ENOSPC, as a full state folder would.
        var journal = new AuditJournal("/dev/full");
        var e = Assert.Throws<AuditJournalException>(() => journal.Append(AuditEntry.For(T0, "lb1", Commit("aaaa", "x"), AuditOutcome.Applied)));
        Assert.Contains("/dev/full", e.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<IOException>(e.InnerException);
        TestContext.Current.SendDiagnosticMessage(e.Message);
    }

    private static string? Json(AuditEntry? entry) => entry is null ? null : AuditJournal.Serialize(entry);

    public void Dispose() => _temp.Dispose();
}
