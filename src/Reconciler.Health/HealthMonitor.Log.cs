using Microsoft.Extensions.Logging;

namespace Reconciler.Health;

public sealed partial class HealthMonitor
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Health checks of node {Node} started: {Count} checks")]
        public static partial void Started(ILogger logger, string node, int count);

        [LoggerMessage(2, LogLevel.Information, "Health checks of node {Node} stopped")]
        public static partial void Stopped(ILogger logger, string node);

        [LoggerMessage(3, LogLevel.Information, "Health checks updated: {Added} added, {Replaced} replaced, {Removed} removed, {Kept} kept running")]
        public static partial void Updated(ILogger logger, int added, int replaced, int removed, int kept);

        [LoggerMessage(4, LogLevel.Warning, "{Service} real server {RealServer} is down: {Reason}")]
        public static partial void ServerDown(ILogger logger, string service, string realServer, string reason);

        [LoggerMessage(5, LogLevel.Information, "{Service} real server {RealServer} is up: {Reason}")]
        public static partial void ServerUp(ILogger logger, string service, string realServer, string reason);

        [LoggerMessage(6, LogLevel.Information, "{Service} real server {RealServer} weight {Weight}: {Reason}")]
        public static partial void WeightChanged(ILogger logger, string service, string realServer, int weight, string reason);

        [LoggerMessage(7, LogLevel.Warning, "{Service} {Kind}: {Reason}")]
        public static partial void ServiceChanged(ILogger logger, string service, HealthChangeKind kind, string reason);

        [LoggerMessage(8, LogLevel.Debug, "{Service} real server {RealServer} probe failed: {Detail}")]
        public static partial void ProbeFailed(ILogger logger, string service, string realServer, string detail);

        [LoggerMessage(9, LogLevel.Error, "The check of {Service} real server {RealServer} stopped on an unexpected error")]
        public static partial void CheckFailed(ILogger logger, Exception exception, string service, string realServer);

        [LoggerMessage(10, LogLevel.Error, "A health change handler threw")]
        public static partial void HandlerFailed(ILogger logger, Exception exception);
    }
}
