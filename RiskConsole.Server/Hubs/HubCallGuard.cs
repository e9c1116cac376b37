using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using RiskConsole.Server.Configuration;
using RiskConsole.Server.Logging;
using RiskConsole.Server.Observability;
using RiskConsole.Server.Security;

namespace RiskConsole.Server.Hubs;

/// <summary>
/// Every hub method call passes here. A connection may make Server:ClientCallsPerSecond calls a second (twice that in
/// a burst); beyond it calls are refused, so one client cannot make the server queue megabytes of answers for it.
/// Refusals (a HubException: unknown topic, refused ForceInterrupt, too many calls) are the client's mistake, not
/// the server's, so they are logged at Debug; real failures at Error. Both only within the client's log budget:
/// no client can write more than a bounded number of log lines a second. SignalR's own per-call error line is
/// dropped from the log for the same reason (see LoggingRegistration), since this line replaces it.
/// </summary>
public sealed partial class HubCallGuard(IOptions<ServerOptions> options, TimeProvider time, ClientLogBudget logBudget, DeliveryMetrics metrics, ILogger<HubCallGuard> logger) : IHubFilter
{
    private const string AllowanceItem = "hub-call-allowance";

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var invocation = invocationContext;
        var context = invocation.Context;
        if (!Allowance(context).TryTake(time.GetTimestamp()))
        {
            metrics.InvocationRejected("rate");
            var limit = options.Value.ClientCallsPerSecond;
            LogRefusal(context, invocation.HubMethodName, "rate limited");
            throw new HubException($"Too many calls: at most {limit} a second on one connection. Slow down and retry.");
        }

        try
        {
            return await next(invocation);
        }
        catch (HubException ex)
        {
            metrics.InvocationRejected("refused");
            LogRefusal(context, invocation.HubMethodName, ex.Message);
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var address = ClientAddress(context);
            if (logBudget.TryLog(address))
            {
                LogCallFailed(ex, invocation.HubMethodName, context.ConnectionId, address);
            }

            throw;
        }
    }

    private CallAllowance Allowance(HubCallerContext context)
    {
        if (context.Items.TryGetValue(AllowanceItem, out var existing) && existing is CallAllowance allowance)
        {
            return allowance;
        }

        var perSecond = options.Value.ClientCallsPerSecond;
        allowance = new CallAllowance(perSecond, burst: 2 * perSecond, time);
        context.Items[AllowanceItem] = allowance;
        return allowance;
    }

    private void LogRefusal(HubCallerContext context, string method, string reason)
    {
        var address = ClientAddress(context);
        if (logger.IsEnabled(LogLevel.Debug) && logBudget.TryLog(address))
        {
            LogRefused(method, context.ConnectionId, address, reason);
        }
    }

    private static string ClientAddress(HubCallerContext context) =>
        context.GetHttpContext()?.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    [LoggerMessage(Level = LogLevel.Debug, Message = "Hub call {Method} refused for connection {ConnectionId} from {ClientAddress}: {Reason}")]
    private partial void LogRefused(string method, string connectionId, string clientAddress, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Hub call {Method} failed for connection {ConnectionId} from {ClientAddress}")]
    private partial void LogCallFailed(Exception ex, string method, string connectionId, string clientAddress);

    /// <summary>One connection's allowance of calls; the connection's calls may run in parallel, hence the lock.</summary>
    private sealed class CallAllowance(int perSecond, int burst, TimeProvider time)
    {
        private readonly Lock _gate = new();
        private readonly TokenBucket _bucket = new(perSecond, burst, time.GetTimestamp());

        public bool TryTake(long now)
        {
            lock (_gate)
            {
                return _bucket.TryTake(now, time);
            }
        }
    }
}
