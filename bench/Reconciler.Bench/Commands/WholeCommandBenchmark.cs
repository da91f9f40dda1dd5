using System.Globalization;
using System.Text.Json;
using Reconciler.Bench.Agent;
using Reconciler.Bench.Ipvs;
using Reconciler.Bench.Lab;
using Reconciler.Ipvs;

namespace Reconciler.Bench.Commands;

/// <summary>
/// Whole commands against whole commands (lab guest), what a user runs and waits for, on 1,000 services x 10 real
/// servers (wrr, NAT; the topology for node lb1, whose address 10.0.0.1 is on the namespace's dummy link):
/// <list type="number">
/// <item><c>reconciler apply</c> from an empty table (a fresh state folder each run) against <c>ipvsadm -R</c> of the
/// same rules; the table flushed (<c>ipvsadm -C</c>) before each.</item>
/// <item><c>reconciler plan --detailed-exitcode</c> with nothing to do (exit 0) against <c>ipvsadm -Sn</c>.</item>
/// <item><c>reconciler ipvs show --format ipvsadm</c> against <c>ipvsadm -Sn</c>: the two outputs must list the same
/// rules (whether they are identical byte for byte is a figure).</item>
/// <item><c>reconciler apply</c> of the topology with one real server's weight changed (over the table it applied,
/// same state folder) against one <c>ipvsadm -e</c> of that weight; each sets a weight of its own.</item>
/// <item><c>reconciler validate</c> of the topology against <c>keepalived --config-test</c> of the same table's
/// keepalived.conf (no checkers).</item>
/// <item><c>reconciler diff REV1 REV2</c> of two commits (the table, then one weight changed) against
/// <c>git diff REV1 REV2</c> in the same bare repository.</item>
/// </list>
/// Every command, ours and its anchor alike, is one process run through the same wrappers (<c>ip netns exec</c> into
/// the namespace, and <c>/usr/bin/time</c> for the peak resident size where it is installed; see
/// <see cref="WholeCommand"/>), timed from its start to its exit, and checked: its exit status, the kernel's table
/// afterwards (<c>ipvsadm -Sn</c>, untimed, against the rules expected, lines sorted), its output. Before the first
/// run each executable has run once, so that neither side pays reading it from disk (the guest's 9p share).
/// Option: --runs N (default 3; medians reported).
/// </summary>
internal sealed class WholeCommandBenchmark : IBenchmark
{
    private const int Services = 1000;
    private const int PerService = 10;

    /// <summary>The real server whose weight changes: the first of the first service.</summary>
    private const string ChangedService = "10.1.0.0:80";
    private const string ChangedServer = "10.2.0.0:8080";

    public string Name => "commands";

    public string Description => "whole commands on 1,000 x 10: reconciler apply/plan/ipvs show/validate/diff vs ipvsadm -R/-e/-Sn, keepalived --config-test, git diff (lab guest only)";

    public BenchmarkReport Run(IReadOnlyList<string> arguments)
    {
        var runs = Options.Int(arguments, "--runs", 3);
        var table = IpvsBenchmark.Table(Services, PerService);
        var work = Directory.CreateTempSubdirectory("bench-commands-").FullName;
        var topology = Path.Combine(work, "topology.yaml");
        File.WriteAllText(topology, TableFiles.Topology(table));
        using var space = new BenchNamespace();
        var lab = new Setup(space, RepositoryRoot.Reconciler(), work, table, IpvsadmFormat.Save(table), topology, runs);
        // Warm-ups: our executable and keepalived here, ipvsadm with the flush that begins each run, git in the
        // repository's commits.
        WholeCommand.Expect(0, space.Name, null, lab.Reconciler, "--version");
        WholeCommand.Expect(0, space.Name, null, "keepalived", "--version");

        var (applyEmpty, restore, state) = ApplyFromEmpty(lab);
        var (plan, show, save, identical) = NothingToDo(lab, state);
        var (applyOne, edit) = OneWeight(lab, state);
        var (validate, configTest) = Validate(lab);
        var (diff, gitDiff, diffShown) = Diff(lab);

        CommandSamples[] all = [applyEmpty, restore, applyOne, edit, plan, show, save, validate, configTest, diff, gitDiff];
        return new BenchmarkReport(
            Name,
            string.Create(CultureInfo.InvariantCulture,
                $"{Services:N0} services x {PerService} real servers, {runs} runs of each command after a warm-up of each executable, {Environment.ProcessorCount} CPUs; every command a whole process through the same wrappers (ip netns exec{(WholeCommand.MeasuresPeak ? ", /usr/bin/time for the peak RSS" : "")}), start to exit, and checked"),
            all.Select(s => s.Row()).ToList(),
            [
                applyEmpty.Ratio(restore, 1.0),
                applyOne.Ratio(edit, null),
                plan.Ratio(save, 2.0),
                show.Ratio(save, 1.0),
                validate.Ratio(configTest, null),
                diff.Ratio(gitDiff, null),
            ])
        {
            Figures =
            [
                .. all.Select(s => s.Peak()).OfType<BenchmarkFigure>(),
                new BenchmarkFigure("ipvs show --format ipvsadm identical to ipvsadm -Sn", identical ? 1 : 0, "yes/no"),
                new BenchmarkFigure("diff Markdown shows the change", diffShown ? 1 : 0, "yes/no"),
                new BenchmarkFigure("services", Services, "services"),
                new BenchmarkFigure("real servers per service", PerService, "real servers"),
            ],
        };
    }

    /// <summary>Row 1: from an empty table (flushed before each side), <c>ipvsadm -R</c> and then
    /// <c>reconciler apply</c> with a fresh state folder (no ownership record carried over). Returns the state folder
    /// of the last apply, whose table stays for the rows after it.</summary>
    private static (CommandSamples Ours, CommandSamples Anchor, string State) ApplyFromEmpty(Setup lab)
    {
        var ours = new CommandSamples("apply from empty: reconciler apply");
        var anchor = new CommandSamples("apply from empty: ipvsadm -R");
        var state = "";
        for (var run = 1; run <= lab.Runs; run++)
        {
            lab.Space.TimeIpvsadm(null, "-C");
            var restored = anchor.Add(WholeCommand.Expect(0, lab.Space.Name, lab.Rules, "ipvsadm", "-R"));
            CheckTable(lab.Space, lab.Rules, "after ipvsadm -R");
            lab.Space.TimeIpvsadm(null, "-C");
            state = Path.Combine(lab.Work, $"state-{run}");
            var applied = ours.Add(WholeCommand.Expect(0, lab.Space.Name, null, lab.Reconciler, "apply", "-f", lab.Topology, "--node", "lb1", "--state-dir", state, "--endpoint", "none"));
            CheckTable(lab.Space, lab.Rules, "after reconciler apply");
            Console.Error.WriteLine($"commands, run {run}/{lab.Runs}: apply from empty: reconciler apply {applied.Seconds:0.000} s, ipvsadm -R {restored.Seconds:0.000} s");
        }

        return (ours, anchor, state);
    }

    /// <summary>Rows 2 and 3, over the table the last apply left (its ownership record in <paramref name="state"/>):
    /// <c>reconciler plan</c> finds nothing to do (exit 0 with --detailed-exitcode), and <c>reconciler ipvs show
    /// --format ipvsadm</c> lists what <c>ipvsadm -Sn</c> lists (the anchor of both). Returns whether the two listings
    /// were identical byte for byte.</summary>
    private static (CommandSamples Plan, CommandSamples Show, CommandSamples Anchor, bool Identical) NothingToDo(Setup lab, string state)
    {
        var plan = new CommandSamples("nothing to do: reconciler plan");
        var show = new CommandSamples("list: reconciler ipvs show --format ipvsadm");
        var anchor = new CommandSamples("list: ipvsadm -Sn");
        var identical = true;
        for (var run = 1; run <= lab.Runs; run++)
        {
            plan.Add(WholeCommand.Expect(0, lab.Space.Name, null, lab.Reconciler, "plan", "-f", lab.Topology, "--node", "lb1", "--state-dir", state, "--endpoint", "none", "--detailed-exitcode"));
            var saved = anchor.Add(WholeCommand.Expect(0, lab.Space.Name, null, "ipvsadm", "-Sn")).Output;
            var shown = show.Add(WholeCommand.Expect(0, lab.Space.Name, null, lab.Reconciler, "ipvs", "show", "--format", "ipvsadm")).Output;
            CheckRules(saved, lab.Rules, "ipvsadm -Sn");
            CheckRules(shown, saved, "reconciler ipvs show --format ipvsadm, against ipvsadm -Sn");
            identical &= shown == saved;
        }

        if (!identical)
        {
            Console.Error.WriteLine("commands: reconciler ipvs show --format ipvsadm lists the same rules as ipvsadm -Sn, in another order");
        }

        return (plan, show, anchor, identical);
    }

    /// <summary>Row 4: <c>reconciler apply</c> of the topology with one weight changed (one operation, checked in its
    /// summary) against one <c>ipvsadm -e</c>; each run each side sets a weight of its own, checked in the kernel.</summary>
    private static (CommandSamples Ours, CommandSamples Anchor) OneWeight(Setup lab, string state)
    {
        var ours = new CommandSamples("one weight: reconciler apply");
        var anchor = new CommandSamples("one weight: ipvsadm -e");
        for (var run = 1; run <= lab.Runs; run++)
        {
            var oursWeight = 100 + (2 * run);
            var changed = Path.Combine(lab.Work, $"topology-changed-{run}.yaml");
            File.WriteAllText(changed, TableFiles.Topology(WithWeight(lab.Table, oursWeight)));
            var applied = ours.Add(WholeCommand.Expect(0, lab.Space.Name, null, lab.Reconciler, "apply", "-f", changed, "--node", "lb1", "--state-dir", state, "--endpoint", "none"));
            if (!applied.Output.Contains("Apply complete: 1 of 1 operations done", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"reconciler apply of one weight did not do one operation:\n{applied.Output}");
            }

            CheckTable(lab.Space, IpvsadmFormat.Save(WithWeight(lab.Table, oursWeight)), "after reconciler apply of one weight");
            var anchorWeight = oursWeight + 1;
            anchor.Add(WholeCommand.Expect(0, lab.Space.Name, null, "ipvsadm", "-e", "-t", ChangedService, "-r", ChangedServer, "-m", "-w", anchorWeight.ToString(CultureInfo.InvariantCulture)));
            CheckTable(lab.Space, IpvsadmFormat.Save(WithWeight(lab.Table, anchorWeight)), "after ipvsadm -e");
        }

        return (ours, anchor);
    }

    /// <summary>Row 5: <c>reconciler validate</c> of the topology (it must say valid) against
    /// <c>keepalived --config-test</c> of the same table's keepalived.conf (exit 0).</summary>
    private static (CommandSamples Ours, CommandSamples Anchor) Validate(Setup lab)
    {
        var config = Path.Combine(lab.Work, "keepalived.conf");
        File.WriteAllText(config, TableFiles.Keepalived(lab.Table));
        var ours = new CommandSamples("validate: reconciler validate");
        var anchor = new CommandSamples("validate: keepalived --config-test");
        for (var run = 1; run <= lab.Runs; run++)
        {
            var validated = ours.Add(WholeCommand.Expect(0, lab.Space.Name, null, lab.Reconciler, "validate", lab.Topology));
            if (!CliBenchmark.SaysValid(validated.Output))
            {
                throw new InvalidOperationException($"reconciler validate did not find the topology valid:\n{validated.Output}");
            }

            anchor.Add(WholeCommand.Expect(0, lab.Space.Name, null, "keepalived", "--config-test", "-f", config));
        }

        return (ours, anchor);
    }

    /// <summary>Row 6: a bare repository with two commits (the table, then one weight changed, 1 to 7);
    /// <c>reconciler diff --format markdown --repo BARE REV1 REV2</c> against <c>git -C BARE diff REV1 REV2</c>. One untimed
    /// <c>--json --detailed-exitcode</c> run first checks our diff is that one change (exit 2: a difference); git's
    /// must change one line. Returns whether our Markdown showed the change.</summary>
    private static (CommandSamples Ours, CommandSamples Anchor, bool Shown) Diff(Setup lab)
    {
        var repository = new TopologyRepository(Path.Combine(lab.Work, "repository"));
        repository.Commit(TableFiles.Topology(lab.Table), $"{Services:N0} services x {PerService}");
        repository.Commit(TableFiles.Topology(WithWeight(lab.Table, 7)), $"{ChangedServer} of {ChangedService}: weight 7");
        var revisions = Shell.Run("git", null, "-C", repository.Bare, "rev-parse", "main~1", "main").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        CheckDiffJson(WholeCommand.Expect(2, lab.Space.Name, null, lab.Reconciler, "diff", "--json", "--detailed-exitcode", "--repo", repository.Bare, revisions[0], revisions[1]).Output);
        var ours = new CommandSamples("diff of two commits: reconciler diff");
        var anchor = new CommandSamples("diff of two commits: git diff");
        var shown = true;
        for (var run = 1; run <= lab.Runs; run++)
        {
            shown &= ShowsChange(ours.Add(WholeCommand.Expect(0, lab.Space.Name, null, lab.Reconciler, "diff", "--format", "markdown", "--repo", repository.Bare, revisions[0], revisions[1])).Output);
            CheckGitDiff(anchor.Add(WholeCommand.Expect(0, lab.Space.Name, null, "git", "-C", repository.Bare, "diff", revisions[0], revisions[1])).Output);
        }

        if (!shown)
        {
            Console.Error.WriteLine("commands: reconciler diff's Markdown does not show the one change (its --json does): it was cut");
        }

        return (ours, anchor, shown);
    }

    /// <summary>The table with the first real server of the first service at <paramref name="weight"/>.</summary>
    private static List<ServiceWithDestinations> WithWeight(List<ServiceWithDestinations> table, int weight)
    {
        var first = table[0].Destinations[0];
        return
        [
            table[0] with { Destinations = [first with { Destination = first.Destination with { Weight = weight } }, .. table[0].Destinations.Skip(1)] },
            .. table.Skip(1),
        ];
    }

    /// <summary>The kernel's table (<c>ipvsadm -Sn</c>, untimed) holds exactly <paramref name="expected"/>.</summary>
    private static void CheckTable(BenchNamespace space, string expected, string when) =>
        CheckRules(space.TimeIpvsadm(null, "-Sn").Output, expected, $"the kernel's table {when}");

    /// <summary>Two rule listings hold the same lines (in any order).</summary>
    private static void CheckRules(string listed, string expected, string what)
    {
        var have = Lines(listed);
        var want = Lines(expected);
        if (!have.SequenceEqual(want))
        {
            var missing = want.Except(have).Take(3);
            var extra = have.Except(want).Take(3);
            throw new InvalidOperationException(
                $"{what}: {have.Count} rules, expected {want.Count}; missing e.g. [{string.Join("; ", missing)}], unexpected e.g. [{string.Join("; ", extra)}]");
        }
    }

    private static List<string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList();

    /// <summary>Whether our Markdown shows the one change, the weight of the one real server (1 in the table, 7 at
    /// REV2), in the topology and on node lb1 (it is cut to fit a pull request comment).</summary>
    private static bool ShowsChange(string markdown) =>
        new[] { "<summary>Topology: 0 added, 1 changed, 0 removed</summary>", "- **lb1**: 0 to add, 1 to change, 0 to destroy", $"real server {ChangedServer}", "weight: 1 -> 7" }
            .All(e => markdown.Contains(e, StringComparison.Ordinal));

    /// <summary>Our diff as JSON (<c>--json</c>, whole) holds one change: that real server's weight, 1 to 7.</summary>
    private static void CheckDiffJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var summary = root.GetProperty("summary");
        var changes = root.GetProperty("entries").EnumerateArray()
            .SelectMany(service => service.GetProperty("children").EnumerateArray()
                .SelectMany(server => server.GetProperty("changes").EnumerateArray()
                    .Select(change => $"{service.GetProperty("name").GetString()} {server.GetProperty("name").GetString()} {change.GetProperty("field").GetString()} {change.GetProperty("old").GetString()} -> {change.GetProperty("new").GetString()}")))
            .ToList();
        var counts = $"{summary.GetProperty("added").GetInt32()} added, {summary.GetProperty("changed").GetInt32()} changed, {summary.GetProperty("removed").GetInt32()} removed";
        if (counts != "0 added, 1 changed, 0 removed" || changes.Count != 1 || changes[0] != $"s0 {ChangedServer} weight 1 -> 7")
        {
            throw new InvalidOperationException($"reconciler diff --json does not report the one weight changed: {counts}; {string.Join("; ", changes)}");
        }
    }

    /// <summary>git's diff changes one line of the topology: one line out, one in.</summary>
    private static void CheckGitDiff(string output)
    {
        var lines = output.Split('\n');
        var removed = lines.Count(l => l.StartsWith('-') && !l.StartsWith("---", StringComparison.Ordinal));
        var added = lines.Count(l => l.StartsWith('+') && !l.StartsWith("+++", StringComparison.Ordinal));
        if (removed != 1 || added != 1)
        {
            throw new InvalidOperationException($"git diff: {removed} lines removed and {added} added, expected one of each:\n{output}");
        }
    }

    /// <summary>What every row uses: the namespace, the executable, the work folder, the table, its rules as
    /// <c>ipvsadm -S</c> prints them and its topology file, and the runs of each command.</summary>
    private sealed record Setup(BenchNamespace Space, string Reconciler, string Work, List<ServiceWithDestinations> Table, string Rules, string Topology, int Runs);
}
