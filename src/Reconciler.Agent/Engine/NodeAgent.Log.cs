using Microsoft.Extensions.Logging;
using Reconciler.GitSource.Source;

namespace Reconciler.Agent.Engine;

/// <summary>Log lines, written to read well in journald: what happened, to what, and why.</summary>
public sealed partial class NodeAgent
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Topology at commit {Commit} \"{Subject}\" by {Author} is now in force")]
    private partial void LogCommitAdopted(string commit, string subject, string author);

    [LoggerMessage(Level = LogLevel.Information, Message = "Restored commit {Commit} \"{Subject}\", the last good before this start, from the state folder; asking the repository for newer")]
    private partial void LogRestored(string commit, string subject);

    [LoggerMessage(Level = LogLevel.Information, Message = "New commit {Commit} \"{Subject}\" on the followed ref: {Timings}")]
    private partial void LogCommitRead(string commit, string subject, PollTimings timings);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Commit {Commit}: {Warning}")]
    private partial void LogTopologyWarning(string commit, string warning);

    [LoggerMessage(Level = LogLevel.Error, Message = "Commit {Commit} \"{Subject}\" rejected ({Kind}, {Errors} errors); the last good topology stays in force")]
    private partial void LogCommitRejected(string commit, string subject, RejectionKind kind, int errors);

    [LoggerMessage(Level = LogLevel.Error, Message = "Commit {Commit}: {Reason}")]
    private partial void LogRejectionReason(string commit, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Topology repository unreachable ({Failures} in a row): {Error}; retrying in {RetryAfter}; the last good topology stays in force")]
    private partial void LogUnreachable(string error, int failures, TimeSpan retryAfter);

    [LoggerMessage(Level = LogLevel.Information, Message = "VRRP configuration of this node changed at commit {Commit}: routers restarted")]
    private partial void LogVrrpRebuilt(string commit);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying {Steps} operations ({Reasons}): {Summary}")]
    private partial void LogPlan(int steps, string reasons, string summary);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied {Succeeded} operations ({Failed} failed) in {TotalMs:0} ms: desired state and live read {ReadMs:0} ms, plan {PlanMs:0} ms, apply {ApplyMs:0} ms")]
    private partial void LogApplied(int succeeded, int failed, double totalMs, double readMs, double planMs, double applyMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Symbol} {Target}{Reason}")]
    private partial void LogStep(string symbol, string target, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Remainder}")]
    private partial void LogStepsSummarized(string remainder);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Symbol} {Target} FAILED: {Error}")]
    private partial void LogStepFailed(string symbol, string target, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Source}: {Error}")]
    private partial void LogRecordedError(string source, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cleaned up on stop: {Done} operations done, {Failed} failed")]
    private partial void LogCleanedUp(int done, int failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "VRRP {Instance} is MASTER but {Addresses} was missing (removed outside reconciler): its router put it back ({Reasons})")]
    private partial void LogVrrpAddressesReasserted(string instance, string addresses, string reasons);

    [LoggerMessage(Level = LogLevel.Information, Message = "VRRP role changed while planning ({Roles} now): planning again")]
    private partial void LogReplanForRoleChange(string roles);

    [LoggerMessage(Level = LogLevel.Warning, Message = "VRRP {Instance}: took over from director {Peer} ({Address}), whose adverts stopped; its real servers withdrawn until their checks pass: {Withdrawn}")]
    private partial void LogWithdrewSilentMaster(string instance, string peer, string address, string withdrawn);

    [LoggerMessage(Level = LogLevel.Warning, Message = "VRRP {Instance}: took over from {Address}, whose adverts stopped; no node of the topology has that address, so no real server is withdrawn")]
    private partial void LogSilentMasterUnknown(string instance, string address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handover: VRRP {Instances} on standby (priority 1; a MASTER lets go with priority 0) until resumed")]
    private partial void LogHandedOver(string instances);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resumed: VRRP {Instances} off standby, back to the configured priority")]
    private partial void LogResumed(string instances);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Commit {Commit}: {More} more {Kind} not logged; 'reconciler validate' at that commit lists them all")]
    private partial void LogMoreDiagnostics(string commit, int more, string kind);
}
