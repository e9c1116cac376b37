using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace RiskConsole.Tests.Server.Infrastructure;

/// <summary>Every Serilog event the server writes, rendered with its properties and exception, for assertions.</summary>
public sealed class InMemoryLogSink : ILogEventSink
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public void Emit(LogEvent logEvent)
    {
        using var writer = new StringWriter();
        logEvent.RenderMessage(writer);
        foreach (var (name, value) in logEvent.Properties)
        {
            writer.Write($" {name}={value}");
        }

        if (logEvent.Exception is not null)
        {
            writer.Write(" " + logEvent.Exception);
        }

        _lines.Enqueue($"{logEvent.Level} {writer}");
    }
}
