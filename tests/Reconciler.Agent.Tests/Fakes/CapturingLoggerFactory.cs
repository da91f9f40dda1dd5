using Microsoft.Extensions.Logging;

namespace Reconciler.Agent.Tests.Fakes;

/// <summary>Keeps every formatted log line (thread-safe), to assert what the journal would show.</summary>
internal sealed class CapturingLoggerFactory : ILoggerFactory
{
    private readonly Lock _lock = new();
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lock)
            {
                return [.. _lines];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner._lock)
            {
                owner._lines.Add(formatter(state, exception));
            }
        }
    }
}
