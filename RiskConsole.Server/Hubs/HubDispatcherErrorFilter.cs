using Serilog.Core;
using Serilog.Events;

namespace RiskConsole.Server.Hubs;

/// <summary>
/// Drops SignalR's own "Failed invoking hub method" line: SignalR writes it at Error, with a stack trace, for every
/// HubException a client provokes (thousands a second from one connection). <see cref="HubCallGuard"/> logs every
/// failed call instead, refusals at Debug and real failures at Error, within the client's log budget.
/// </summary>
public sealed class HubDispatcherErrorFilter : ILogEventFilter
{
    private const string DispatcherCategory = "Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher";
    private const string FailedInvocationEvent = "FailedInvokingHubMethod";

    public bool IsEnabled(LogEvent logEvent) =>
        !(logEvent.Properties.TryGetValue(Constants.SourceContextPropertyName, out var source)
          && source is ScalarValue { Value: DispatcherCategory }
          && logEvent.Properties.TryGetValue("EventId", out var eventId)
          && eventId is StructureValue id
          && id.Properties.Any(p => p.Name == "Name" && p.Value is ScalarValue { Value: FailedInvocationEvent }));
}
