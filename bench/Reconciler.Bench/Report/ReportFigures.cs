using System.Globalization;
using System.Text.RegularExpressions;

namespace Reconciler.Bench.Report;

/// <summary>
/// The issue's figures, in its order, read from the benchmarks' reports: a figure whose benchmark did not run (or
/// changed its row names) is left out, and listed by <see cref="Missing"/>. Times are medians. Whole commands come
/// first (issue 21: what a user runs and waits for, <c>commands</c> in the guest and <c>cli</c> on the host), then the
/// agent's start as a whole process (to its first advert, to the whole table), the in-process figures after them.
/// </summary>
internal static partial class ReportFigures
{
    public static IReadOnlyList<ReportRow> From(ReportInputs inputs)
    {
        var rows = new List<ReportRow>();
        foreach (var source in inputs.Named("commands"))
        {
            rows.AddRange(WholeCommands(source));
        }

        foreach (var source in inputs.Named("cli"))
        {
            rows.AddRange(Cli(source));
        }

        // The agent as a whole process too: start to its first advert, start to the whole table (and its memory then).
        foreach (var source in inputs.Named("start"))
        {
            rows.AddRange(Start(source));
        }

        foreach (var source in inputs.Named("memory"))
        {
            rows.AddRange(Memory(source));
        }

        foreach (var source in inputs.Named("cold"))
        {
            rows.AddRange(ColdApply(source));
        }

        foreach (var source in inputs.Named("reconcile"))
        {
            rows.AddRange(Reconcile(source));
        }

        foreach (var source in inputs.Named("ipvs"))
        {
            rows.AddRange(Dump(source));
        }

        foreach (var source in inputs.Named("planner"))
        {
            rows.AddRange(Planner(source));
        }

        foreach (var source in inputs.Named("vrrp"))
        {
            rows.AddRange(Vrrp(source));
        }

        foreach (var source in inputs.Named("commit"))
        {
            rows.AddRange(Commit(source));
        }

        foreach (var source in inputs.Named("stateful"))
        {
            rows.AddRange(Stateful(source));
        }

        foreach (var source in inputs.Named("health").OrderByDescending(s => Figure(s, "inline socket completions") ?? 0))
        {
            rows.AddRange(Health(source));
        }

        return rows;
    }

    /// <summary>The issue's figures with no row in the report.</summary>
    public static IReadOnlyList<string> Missing(IReadOnlyList<ReportRow> rows)
    {
        var wanted = new (string Source, string Figure)[]
        {
            ("commands", "whole commands"), ("cli", "whole commands on the host"), ("cold", "cold apply 1,000 x 10"), ("cold", "cold apply 10,000 x 10"), ("reconcile", "no-op reconcile"),
            ("reconcile", "one-change reconcile"), ("planner", "planner"), ("vrrp", "failover v2"), ("vrrp", "failover v3"),
            ("start", "start to the first VRRP advert"),
            ("commit", "commit-to-applied"), ("memory", "agent memory"), ("health", "health checks"),
            ("stateful", "connections kept"),
        };
        return wanted
            .Where(w => !rows.Any(r => r.Source == w.Source && Matches(r.Figure, w.Figure)))
            .Select(w => $"{w.Figure} ({w.Source})")
            .ToList();
    }

    private static bool Matches(string figure, string wanted) => wanted switch
    {
        "whole commands" => figure.StartsWith("whole command: ", StringComparison.Ordinal),
        "whole commands on the host" => figure.StartsWith("whole command on the host: ", StringComparison.Ordinal),
        "failover v2" => figure.Contains("VRRPv2", StringComparison.Ordinal),
        "failover v3" => figure.Contains("VRRPv3", StringComparison.Ordinal),
        "one-change reconcile" => figure.StartsWith("one-weight change", StringComparison.Ordinal),
        "commit-to-applied" => figure.StartsWith("commit", StringComparison.Ordinal),
        "agent memory" => figure.StartsWith("agent memory", StringComparison.Ordinal),
        _ => figure.StartsWith(wanted, StringComparison.Ordinal),
    };

    /// <summary>Ours against its anchor, both whole processes in one guest run (benchmark <c>commands</c>); the
    /// targets are issue 21's.</summary>
    private static IEnumerable<ReportRow> WholeCommands(LoadedReport source)
    {
        var services = Figure(source, "services") ?? 1000;
        var perService = Figure(source, "real servers per service") ?? 10;
        var size = string.Create(CultureInfo.InvariantCulture, $"{services:N0} x {perService:0}");
        // What a check found that the time does not say.
        var showOrder = Figure(source, "ipvs show --format ipvsadm identical to ipvsadm -Sn") == 0 ? " (the same rules as `ipvsadm -Sn`, in another order)" : "";
        var diffCut = Figure(source, "diff Markdown shows the change") == 0 ? " (its Markdown leaves the change out: cut to fit a comment; `--json` has it)" : "";
        foreach (var (ours, anchor, what, anchorName, target, note) in new (string, string, string, string, double?, string)[]
        {
            ("apply from empty: reconciler apply", "apply from empty: ipvsadm -R", $"`reconciler apply` of {size} from an empty table", "`ipvsadm -R`", 1.0, ""),
            ("one weight: reconciler apply", "one weight: ipvsadm -e", $"`reconciler apply` of one weight changed in {size}", "one `ipvsadm -e`", null, ""),
            ("nothing to do: reconciler plan", "list: ipvsadm -Sn", $"`reconciler plan --detailed-exitcode` of {size}, nothing to do", "`ipvsadm -Sn`", 2.0, ""),
            ("list: reconciler ipvs show --format ipvsadm", "list: ipvsadm -Sn", $"`reconciler ipvs show --format ipvsadm` of {size}", "`ipvsadm -Sn`", 1.0, showOrder),
            ("validate: reconciler validate", "validate: keepalived --config-test", $"`reconciler validate` of {size}", "`keepalived --config-test` of its keepalived.conf", null, ""),
            ("diff of two commits: reconciler diff", "diff of two commits: git diff", $"`reconciler diff` of two commits of {size}, one weight changed", "`git diff`", null, diffCut),
        })
        {
            if (Row(source, ours) is not { } oursRow)
            {
                continue;
            }

            var anchorRow = Row(source, anchor);
            yield return new ReportRow(
                $"whole command: {what}{Runs(oursRow)}", source.Where, oursRow.MedianSeconds, anchorRow?.MedianSeconds, "s",
                Time(oursRow.MedianSeconds) + Peak(source, ours) + note,
                anchorRow is { } a ? $"{anchorName} {Time(a.MedianSeconds)}{Peak(source, anchor)}{(target is { } t ? string.Create(CultureInfo.InvariantCulture, $": target <= {t:0.0}x") : "")}" : $"{anchorName}: not measured",
                anchorRow is { MedianSeconds: > 0 } b ? oursRow.MedianSeconds / b.MedianSeconds : null,
                source.Report.Name);
        }
    }

    /// <summary>The published reconciler on the host (benchmark <c>cli</c>), against issue 21's budgets where it sets one.</summary>
    private static IEnumerable<ReportRow> Cli(LoadedReport source)
    {
        foreach (var (operation, what, budget) in new (string, string, double?)[]
        {
            ("reconciler --version", "`reconciler --version`", null),
            ("reconciler validate examples/seed", "`reconciler validate examples/seed`", 0.050),
            ("reconciler validate 1,000 x 10", "`reconciler validate` of 1,000 x 10", 0.200),
            ("reconciler validate 10,000 x 10", "`reconciler validate` of 10,000 x 10", null),
        })
        {
            if (Row(source, operation) is not { } row)
            {
                continue;
            }

            yield return new ReportRow(
                $"whole command on the host: {what}{Runs(row)}", source.Where, row.MedianSeconds, budget, "s",
                $"{Time(row.MedianSeconds)} (min {Time(row.MinSeconds)}){Peak(source, operation)}",
                budget is { } b ? $"budget {Time(b)} (target)" : "",
                budget is { } c ? row.MedianSeconds / c : null,
                source.Report.Name);
        }
    }

    /// <summary>", peak RSS 41 MB" from the figure <c>peak RSS: OPERATION</c>, or nothing.</summary>
    private static string Peak(LoadedReport source, string operation) =>
        Figure(source, "peak RSS: " + operation) is { } megabytes ? string.Create(CultureInfo.InvariantCulture, $", peak RSS {megabytes:0.#} MB") : "";

    private static IEnumerable<ReportRow> ColdApply(LoadedReport source)
    {
        foreach (var ours in source.Report.Rows.Where(r => r.Operation.EndsWith(": ours, pipelined netlink", StringComparison.Ordinal)))
        {
            var size = ours.Operation[..ours.Operation.LastIndexOf(':')];
            var anchor = Row(source, size + ": ipvsadm -R");
            yield return Seconds(
                $"{size}, from empty{Runs(ours)}", source, ours.MedianSeconds, anchor?.MedianSeconds, "pipelined netlink", "`ipvsadm -R`");
        }
    }

    private static IEnumerable<ReportRow> Reconcile(LoadedReport source)
    {
        var services = (int)(Figure(source, "services") ?? 1000);
        var size = string.Create(CultureInfo.InvariantCulture, $"{services:N0} x 10");
        if (Row(source, "no-op reconcile (ours: read live + plan)") is { } noop)
        {
            yield return Seconds($"no-op reconcile of {size} (read live + plan){Runs(noop)}", source, noop.MedianSeconds,
                Row(source, "ipvsadm -Sn (process)")?.MedianSeconds, "", "`ipvsadm -Sn`");
        }

        if (Row(source, "one-weight change (ours: read + plan + apply)") is { } change)
        {
            var operations = Figure(source, "one-weight change operations") ?? 1;
            yield return Seconds(
                string.Create(CultureInfo.InvariantCulture, $"one-weight change reconcile of {size} (read + plan + apply){Runs(change)}"),
                source, change.MedianSeconds, Row(source, "ipvsadm -e of that weight (process)")?.MedianSeconds,
                string.Create(CultureInfo.InvariantCulture, $"{operations:0} operation{(operations == 1 ? "" : "s")}"), "one `ipvsadm -e`, no read");
        }
    }

    private static IEnumerable<ReportRow> Dump(LoadedReport source)
    {
        foreach (var ours in source.Report.Rows.Where(r => r.Operation.StartsWith("dump ", StringComparison.Ordinal) && r.Operation.EndsWith(": ours, GetAll", StringComparison.Ordinal)))
        {
            var what = ours.Operation[..ours.Operation.LastIndexOf(':')];
            var rules = DumpRegex().Match(what) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
            var size = rules % 11 == 0 && rules > 0 ? string.Create(CultureInfo.InvariantCulture, $"{rules / 11:N0} x 10 ({rules:N0} rules)") : what["dump ".Length..];
            yield return Seconds($"full listing of {size}{Runs(ours)}", source, ours.MedianSeconds, Row(source, what + ": ipvsadm -Sn")?.MedianSeconds, "", "`ipvsadm -Sn`");
        }
    }

    private static IEnumerable<ReportRow> Planner(LoadedReport source)
    {
        var size = SizeRegex().Match(source.Report.Measured) is { Success: true } match ? match.Value : "10,000 services x 10 real servers";
        if (source.Report.Rows.FirstOrDefault(r => r.Operation.StartsWith("plan, no changes", StringComparison.Ordinal)) is { } noop)
        {
            yield return new ReportRow(
                $"planner, {size}, no changes (host, median of {noop.Runs})", source.Where, noop.MedianSeconds, 0.050, "s",
                $"{Time(noop.MedianSeconds)} (min {Time(noop.MinSeconds)})", "budget 50 ms (target)", noop.MedianSeconds / 0.050, source.Report.Name);
        }

        if (source.Report.Rows.FirstOrDefault(r => r.Operation.StartsWith("plan, 1%", StringComparison.Ordinal)) is { } changed)
        {
            yield return new ReportRow(
                $"planner, {size}, 1% of real servers changed (host, median of {changed.Runs})", source.Where, changed.MedianSeconds, null, "s",
                Time(changed.MedianSeconds), "", null, source.Report.Name);
        }
    }

    private static IEnumerable<ReportRow> Vrrp(LoadedReport source)
    {
        foreach (var (version, advert) in new[] { (2, "1 s"), (3, "100 ms") })
        {
            var ours = Takeover(source, "ours", version);
            var keepalived = Takeover(source, "keepalived", version);
            if (ours is null)
            {
                continue;
            }

            var what = ours.Operation.Contains("first advert", StringComparison.Ordinal) ? "kill to the new master's first advert, on the wire" : "kill to takeover";
            yield return Seconds($"failover on hard kill, VRRPv{version} advert {advert} ({what}){Runs(ours)}", source, ours.MedianSeconds, keepalived?.MedianSeconds, "", "keepalived");
        }
    }

    /// <summary>The takeover row of one implementation and version: "kill -> first advert" (timed on the wire) where
    /// the benchmark has it, else its older "takeover" row.</summary>
    private static BenchmarkRow? Takeover(LoadedReport source, string kind, int version)
    {
        var prefix = string.Create(CultureInfo.InvariantCulture, $"{kind} v{version} ");
        var rows = source.Report.Rows.Where(r => r.Operation.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        return rows.FirstOrDefault(r => r.Operation.EndsWith(": kill -> first advert", StringComparison.Ordinal))
            ?? rows.FirstOrDefault(r => r.Operation.EndsWith(": takeover", StringComparison.Ordinal));
    }

    private static IEnumerable<ReportRow> Start(LoadedReport source)
    {
        var keepalived = Row(source, "keepalived: exec -> first advert as MASTER");
        var masterDown = Figure(source, "master down interval (3 x advert + skew)");
        // The restart carries the target: keepalived reads its configuration from disk, as a restarted agent its kept
        // revision. The first start (a clone first) is shown beside it.
        foreach (var (who, label, steps, target) in new[]
        {
            ("ours restart", "restart over its state", new[] { ("running", "service running"), ("restored", "kept commit restored"), ("VRRP started", "VRRP started (topology in force)") }, true),
            ("ours", "first start, fresh state: clone", new[] { ("running", "service running"), ("fetched", "first commit fetched and validated"), ("VRRP started", "VRRP started (topology in force)") }, false),
        })
        {
            if (Row(source, $"{who}: exec -> first advert as MASTER") is not { } ours)
            {
                continue;
            }

            var phases = steps
                .Where(p => Figure(source, $"{who} phase: exec -> {p.Item2}") is not null)
                .Select(p => $"{p.Item1} at {Time(Figure(source, $"{who} phase: exec -> {p.Item2}")!.Value)}")
                .Append(masterDown is { } wait ? $"then master down {Time(wait)}" : "");
            yield return new ReportRow(
                $"start to the first VRRP advert as MASTER, seed topology, agent {label} (lb1 alone, advert 1 s; exec to the advert on the wire{Runs(ours)})",
                source.Where, ours.MedianSeconds, keepalived?.MedianSeconds, "s",
                $"{Time(ours.MedianSeconds)} ({string.Join(", ", phases.Where(p => p.Length > 0))})",
                keepalived is { } k ? $"keepalived {Time(k.MedianSeconds)}{(target ? ": target <= 1.2x" : "")}" : "keepalived: not measured",
                keepalived is { MedianSeconds: > 0 } anchor ? ours.MedianSeconds / anchor.MedianSeconds : null,
                source.Report.Name);
        }
    }

    private static IEnumerable<ReportRow> Commit(LoadedReport source)
    {
        if (Row(source, "commit -> applied (push done -> kernel weight)") is not { } applied || Figure(source, "poll interval") is not { } poll)
        {
            yield break;
        }

        var median = applied.MedianSeconds;
        var p90 = Figure(source, "commit -> applied p90") ?? double.NaN;
        var target = Figure(source, "target (poll interval + 1 s)") ?? poll + 1;
        var commits = Figure(source, "commits") ?? 0;
        yield return new ReportRow(
            string.Create(CultureInfo.InvariantCulture, $"commit-to-applied latency, weight commit, git daemon, poll {Time(poll)} (median and p90 of {commits:0})"),
            source.Where, median, target, "s",
            $"{Time(median)}, p90 {Time(p90)}",
            $"poll interval {Time(poll)}: target p90 <= {Time(target)}",
            p90 / target, source.Report.Name);
    }

    private static IEnumerable<ReportRow> Memory(LoadedReport source)
    {
        var services = Figure(source, "services") ?? 10_000;
        var perService = Figure(source, "real servers per service") ?? 10;
        var size = string.Create(CultureInfo.InvariantCulture, $"{services:N0} x {perService:0}");
        if (Figure(source, "agent VmRSS") is { } agent && Figure(source, "keepalived VmRSS") is { } keepalived)
        {
            var agentPeak = Figure(source, "agent VmHWM");
            var keepalivedPeak = Figure(source, "keepalived VmHWM");
            var processes = Figure(source, "keepalived processes") ?? 0;
            yield return new ReportRow(
                $"agent memory (VmRSS) with {size} applied from git", source.Where, agent, keepalived, "MB",
                string.Create(CultureInfo.InvariantCulture, $"{agent:0} MB (peak {agentPeak:0} MB{(Figure(source, "agent GC heap") is { } heap ? $"; .NET heap {heap:0} MB, committed {Figure(source, "agent GC committed"):0} MB" : "")})"),
                string.Create(CultureInfo.InvariantCulture, $"keepalived {keepalived:0} MB (peak {keepalivedPeak:0} MB, {processes:0} processes)"),
                agent / keepalived, source.Report.Name);
        }

        if (Row(source, "agent: start -> whole table in the kernel") is { } agentTime)
        {
            var phases = new[] { ("running", "agent phase: start -> service running"), ("commit validated", "agent phase: start -> commit validated"), ("apply begins", "agent phase: start -> apply begins"), ("reconcile over", "agent phase: start -> reconcile done") }
                .Where(p => Figure(source, p.Item2) is not null)
                .Select(p => $"{p.Item1} at {Time(Figure(source, p.Item2)!.Value)}");
            yield return Seconds($"start to {size} in the kernel (agent: from git)", source, agentTime.MedianSeconds,
                Row(source, "keepalived: start -> whole table in the kernel")?.MedianSeconds, string.Join(", ", phases), "keepalived, no checkers");
        }
    }

    /// <summary>Stateful failover: connections kept through a hard kill, and the gap from the VIP's move to the first
    /// answered request, ours against keepalived's lvs_sync_daemon; and the handover.</summary>
    private static IEnumerable<ReportRow> Stateful(LoadedReport source)
    {
        var passed = Figure(source, "runs with every check passed") ?? 0;
        var failed = Figure(source, "runs failed") ?? 0;
        var runs = string.Create(CultureInfo.InvariantCulture, $"{passed:0} scenario run{(passed == 1 ? "" : "s")}{(failed > 0 ? $", {failed:0} failed" : "")}");
        if (Figure(source, "ours: connections kept through the hard kill") is { } ours && Figure(source, "keepalived: connections kept through the hard kill") is { } keepalived)
        {
            var oursTotal = Figure(source, "ours: connections through the hard kill") ?? 0;
            var keepalivedTotal = Figure(source, "keepalived: connections through the hard kill") ?? 0;
            yield return new ReportRow(
                $"connections kept through a hard kill of the MASTER, connection sync on, byte-checked streams ({runs})", source.Where, ours, keepalived, "connections",
                string.Create(CultureInfo.InvariantCulture, $"{ours:0} of {oursTotal:0} ({Figure(source, "ours: failed requests across the hard kill"):0} failed requests)"),
                string.Create(CultureInfo.InvariantCulture, $"keepalived lvs_sync_daemon {keepalived:0} of {keepalivedTotal:0} ({Figure(source, "keepalived: failed requests across the hard kill"):0} failed requests)"),
                keepalived > 0 ? ours / keepalived : null, source.Report.Name);
        }

        if (Row(source, "ours: VIP moved -> first answered request") is { } restored)
        {
            yield return Seconds($"hard kill: VIP moved to the first answered request{Runs(restored)}", source, restored.MedianSeconds,
                Row(source, "keepalived: VIP moved -> first answered request")?.MedianSeconds, "", "keepalived");
        }

        if (Row(source, "ours: reconciler handover (whole command)") is { } handover)
        {
            yield return new ReportRow(
                $"planned handover, `reconciler handover` as a whole command, and back{Runs(handover)}", source.Where, handover.MedianSeconds, null, "s",
                string.Create(CultureInfo.InvariantCulture, $"{Time(handover.MedianSeconds)}: {Figure(source, "ours: connections reset by the handover and back"):0} connections reset, {Figure(source, "ours: failed requests across the handover and back"):0} failed requests"),
                "keepalived has no handover (stop it: priority 0)", null, source.Report.Name);
        }
    }

    private static IEnumerable<ReportRow> Health(LoadedReport source)
    {
        if (Figure(source, "checks done per second") is not { } done || Figure(source, "checker CPU, share of one core") is not { } cpu)
        {
            yield break;
        }

        var asked = Figure(source, "checks asked per second") ?? 10_000;
        var inline = (Figure(source, "inline socket completions") ?? 0) > 0;
        var lag = Figure(source, "schedule lag p99, share of the interval") ?? double.NaN;
        var perCore = cpu > 0 ? done / cpu : double.NaN;
        yield return new ReportRow(
            $"health checks per second per core, TCP, one core{(inline ? ", inline socket completions" : ", default socket completions")} (host)",
            source.Where, perCore, asked, "1/s",
            string.Create(CultureInfo.InvariantCulture, $"{done:N0}/s at {cpu * 100:0}% of the core: {perCore:N0}/s per core; lag p99 {lag * 100:0.#}% of the interval"),
            string.Create(CultureInfo.InvariantCulture, $"asked {asked:N0}/s on one core (target lag p99 < 10%)"),
            done / asked, source.Report.Name);
    }

    private static ReportRow Seconds(string figure, LoadedReport source, double ours, double? anchor, string oursNote, string anchorName) =>
        new(figure, source.Where, ours, anchor, "s",
            oursNote.Length > 0 ? $"{Time(ours)} ({oursNote})" : Time(ours),
            anchor is { } a ? $"{anchorName} {Time(a)}" : $"{anchorName}: not measured",
            anchor is { } b && b > 0 ? ours / b : null,
            source.Report.Name);

    private static string Runs(BenchmarkRow row) => row.Runs > 1 ? $", median of {row.Runs}" : row.Runs == 1 ? ", 1 run" : "";

    private static BenchmarkRow? Row(LoadedReport source, string operation) =>
        source.Report.Rows.FirstOrDefault(r => r.Operation == operation);

    private static double? Figure(LoadedReport source, string name) =>
        source.Report.Figures.FirstOrDefault(f => f.Name == name)?.Value;

    /// <summary>Seconds as a person reads them: 56 ms, 1.44 s, 163 s.</summary>
    public static string Time(double seconds) =>
        double.IsNaN(seconds) ? "?"
        : seconds < 0.1 ? string.Create(CultureInfo.InvariantCulture, $"{seconds * 1000:0.#} ms")
        : seconds < 1 ? string.Create(CultureInfo.InvariantCulture, $"{seconds * 1000:0} ms")
        : seconds < 100 ? string.Create(CultureInfo.InvariantCulture, $"{seconds:0.##} s")
        : string.Create(CultureInfo.InvariantCulture, $"{seconds:0} s");

    [GeneratedRegex(@"[\d,]+ services x \d+ real servers")]
    private static partial Regex SizeRegex();

    [GeneratedRegex(@"^dump (\d+) rules")]
    private static partial Regex DumpRegex();
}
