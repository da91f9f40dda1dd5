using System.CommandLine;
using Reconciler.Cli.Output;
using Reconciler.GitSource.Audit;
using Reconciler.GitSource.History;
using Reconciler.GitSource.Source;

namespace Reconciler.Cli.Commands;

/// <summary>
/// <c>reconciler history</c>: the git log of the topology path merged with this node's audit journal: which commits
/// were applied here, when and with what result; which were skipped or rejected, and why; who authored, committed
/// and (when verified) signed each. <c>-n</c> bounds the rows; a journaled commit the branch no longer reaches is
/// marked off the branch.
/// </summary>
internal static class HistoryCommand
{
    public static Command Create()
    {
        var git = new GitOptions(defaultRepository: ".");
        var node = new Option<string?>("--node") { Description = "Node name (default: the node the journal was written by)." };
        var count = new Option<int>("-n") { Description = "Show at most this many commits.", DefaultValueFactory = _ => 20 };
        var json = new Option<bool>("--json") { Description = "Print the history as JSON." };
        var stateDirectory = new Option<string>("--state-dir")
        {
            Description = "Folder holding the audit journal (audit.jsonl) and the git cache of a --repo URL.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("RECONCILER_STATE_DIR") ?? "/var/lib/reconciler",
        };
        var command = new Command("history", "Which commits of the topology were applied on this node, when, and with what result.")
        {
            node, count, json, stateDirectory,
        };
        git.AddTo(command);
        command.SetAction(parse =>
        {
            try
            {
                var journal = AuditJournal.InStateDirectory(parse.GetRequiredValue(stateDirectory)).Read();
                var nodeName = parse.GetValue(node)
                    ?? journal.Entries.GroupBy(e => e.Node).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault()
                    ?? Environment.MachineName;
                using var opened = git.Open(parse, parse.GetRequiredValue(stateDirectory));
                if (opened is null)
                {
                    return ExitCodes.Error;
                }

                var revision = git.FollowedRevision(parse, opened);
                var tip = opened.Find(revision)
                    ?? throw new InvalidOperationException($"'{revision}' is not a commit of {parse.GetValue(git.Repository)}");
                var topologyPath = GitTopologyReader.NormalizePath(parse.GetValue(git.Path));
                var limit = parse.GetValue(count);
                var log = opened.Log(tip.Sha, topologyPath, limit);
                var report = HistoryReport.Build(nodeName, topologyPath, log, journal, limit, sha => opened.Reaches(tip.Sha, sha));
                Console.Out.Write(parse.GetValue(json) ? HistoryRenderer.RenderJson(report) + "\n" : HistoryRenderer.RenderText(report));
                return ExitCodes.Success;
            }
            catch (Exception e) when (e is GitSourceException or IOException or InvalidOperationException or AuditJournalException)
            {
                return Terminal.Fail($"history: {e.Message}");
            }
        });
        return command;
    }
}
