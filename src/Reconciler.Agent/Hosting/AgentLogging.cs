using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Reconciler.Agent.Settings;

namespace Reconciler.Agent.Hosting;

/// <summary>
/// Where and how the agent's log lines go: standard output, one line per event. <see cref="LogFormat.Text"/> is
/// journald's form under systemd (<c>&lt;6&gt;</c>-style priorities, no colours), else a line stamped in UTC to the
/// millisecond; <see cref="LogFormat.Json"/> is one JSON object per line (the framework's JSON console formatter, which
/// writes with <see cref="Utf8JsonWriter"/> and needs no reflection, so it works in the NativeAOT build): Timestamp,
/// EventId, LogLevel, Category, Message, State (the message's named values, with <c>{OriginalFormat}</c>) and
/// Exception when there is one. The framework's own chatter only from warnings up, in either form.
/// </summary>
public static class AgentLogging
{
    /// <summary>ISO 8601 in UTC to the millisecond, the separators quoted so no culture changes them.</summary>
    public const string JsonTimestampFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'";

    public static void Configure(ILoggingBuilder logging, LogFormat format, bool underSystemd)
    {
        ArgumentNullException.ThrowIfNull(logging);
        if (format == LogFormat.Json)
        {
            logging.AddJsonConsole(o =>
            {
                o.TimestampFormat = JsonTimestampFormat;
                o.UseUtcTimestamp = true;
                // Quotes and non-ASCII as they are (Jürgen's 'web' commit), not \u0027: the lines go to logs, never into HTML.
                o.JsonWriterOptions = new JsonWriterOptions { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            });
        }
        else if (underSystemd)
        {
            logging.AddSystemdConsole();
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
                o.UseUtcTimestamp = true;
            });
        }

        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("System.Net.Http", LogLevel.Warning);
    }
}
