using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Reconciler.Agent.Hosting;
using Reconciler.Agent.Settings;

namespace Reconciler.Agent.Tests.Hosting;

/// <summary>
/// The formatter <see cref="AgentLogging"/> chooses, fed events as the agent logs them (the console itself is the
/// framework's; the published agent's lines are checked in the kernel tests).
/// </summary>
public sealed partial class AgentLoggingTests
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "VRRP {Instance}: {From} -> {To} after {Seconds} s")]
    private static partial void Transition(ILogger logger, string instance, string from, string to, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "reconcile failed")]
    private static partial void Failed(ILogger logger, Exception error);

    [Fact]
    public void Json_EachEventOneLine_OneObjectWithTimestampLevelCategoryMessageAndState()
    {
        var (name, lines) = Render(LogFormat.Json, underSystemd: false, logger =>
        {
            Transition(logger, "VI_1", "BACKUP", "MASTER", 3.5);
            Transition(logger, "Jürgen's", "BACKUP", "MASTER", 1);
            Failed(logger, new InvalidOperationException("line one\nline \"two\""));
        });

        Assert.Equal(ConsoleFormatterNames.Json, name);
        Assert.Equal(3, lines.Count);
        using var transition = JsonDocument.Parse(lines[0]);
        var root = transition.RootElement;
        var stamp = DateTimeOffset.ParseExact(root.GetProperty("Timestamp").GetString()!, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        Assert.InRange(stamp, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.Equal("Warning", root.GetProperty("LogLevel").GetString());
        Assert.Equal("Reconciler.Vrrp.VI_1", root.GetProperty("Category").GetString());
        Assert.Equal("VRRP VI_1: BACKUP -> MASTER after 3.5 s", root.GetProperty("Message").GetString());
        var state = root.GetProperty("State");
        Assert.Equal("VI_1", state.GetProperty("Instance").GetString());
        Assert.Equal("MASTER", state.GetProperty("To").GetString());
        Assert.Equal(3.5, state.GetProperty("Seconds").GetDouble());
        Assert.Equal("VRRP {Instance}: {From} -> {To} after {Seconds} s", state.GetProperty("{OriginalFormat}").GetString());

        Assert.Contains("\"Instance\":\"Jürgen's\"", lines[1], StringComparison.Ordinal); // readable: not \u0027, not \u00FC
        using var failed = JsonDocument.Parse(lines[2]); // the exception's lines stay inside one JSON line
        Assert.Equal("Error", failed.RootElement.GetProperty("LogLevel").GetString());
        Assert.Contains("line one\nline \"two\"", failed.RootElement.GetProperty("Exception").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, ConsoleFormatterNames.Simple)]
    [InlineData(true, ConsoleFormatterNames.Systemd)]
    public void Text_OneLinePerEvent_JournaldsFormUnderSystemd(bool underSystemd, string formatter)
    {
        var (name, lines) = Render(LogFormat.Text, underSystemd, logger => Transition(logger, "VI_1", "BACKUP", "MASTER", 3.5));

        Assert.Equal(formatter, name);
        var line = Assert.Single(lines);
        Assert.Contains("Reconciler.Vrrp.VI_1[", line, StringComparison.Ordinal);
        Assert.EndsWith("] VRRP VI_1: BACKUP -> MASTER after 3.5 s", line, StringComparison.Ordinal);
        Assert.Equal(underSystemd, line.StartsWith("<4>", StringComparison.Ordinal));
    }

    /// <summary>The formatter the console logger would use with <see cref="AgentLogging.Configure"/>'s options, and
    /// the lines it writes for what <paramref name="log"/> logs under category Reconciler.Vrrp.VI_1.</summary>
    private static (string Formatter, List<string> Lines) Render(LogFormat format, bool underSystemd, Action<ILogger> log)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => AgentLogging.Configure(logging, format, underSystemd));
        using var provider = services.BuildServiceProvider();
        var name = provider.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName!;
        var formatter = provider.GetServices<ConsoleFormatter>().Single(f => f.Name == name);
        using var output = new StringWriter { NewLine = "\n" };
        log(new FormattingLogger(formatter, "Reconciler.Vrrp.VI_1", output));
        return (name, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList());
    }

    private sealed class FormattingLogger(ConsoleFormatter formatter, string category, TextWriter output) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> format) =>
            formatter.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, format), new LoggerExternalScopeProvider(), output);
    }
}
