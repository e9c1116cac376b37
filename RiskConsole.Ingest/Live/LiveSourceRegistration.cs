using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Retry;
using RiskConsole.Core.Signals;
using RiskConsole.Ingest.Mock;

namespace RiskConsole.Ingest.Live;

public static class LiveSourceRegistration
{
    /// <summary>
    /// Registers <typeparamref name="TFeed"/> (already registered by its own Add…Feed) as a hosted
    /// <see cref="LiveSource"/>, with <paramref name="mockGenerator"/> for mock mode and auto fallback, and the source's
    /// connection pipeline in Polly's registry under <see cref="LiveSource.PipelineKey"/>.
    /// </summary>
    public static IServiceCollection AddLiveSource<TFeed>(
        this IServiceCollection services,
        string source,
        Func<IServiceProvider, Func<DateTimeOffset, IReadOnlyList<MarketSignal>>> mockGenerator)
        where TFeed : class, ILiveFeed
    {
        ArgumentNullException.ThrowIfNull(mockGenerator);
        services.AddResiliencePipeline(LiveSource.PipelineKey(source), static (builder, context) =>
            ConfigureConnectionPipeline(builder, context.ServiceProvider.GetRequiredService<IOptions<IngestOptions>>().Value, context.ServiceProvider.GetRequiredService<TimeProvider>()));

        // Also as an ILiveFeed, so the probe command finds every listener by its source.
        services.AddSingleton<ILiveFeed>(provider => provider.GetRequiredService<TFeed>());

        // AddSingleton rather than AddHostedService: AddHostedService keeps one factory per implementation type, and
        // all three are a LiveSource.
        services.AddSingleton<IHostedService>(provider => new LiveSource(
            provider.GetRequiredService<TFeed>(),
            mockGenerator(provider),
            provider.GetRequiredService<MockMarketMood>().Seed,
            provider.GetRequiredService<IOptions<MockFeedOptions>>().Value.StatusDetail,
            provider.GetRequiredService<IOptions<IngestOptions>>().Value,
            provider.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline(LiveSource.PipelineKey(source)),
            provider.GetRequiredService<SignalChannel>(),
            provider.GetRequiredService<SourceStatusBoard>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<IngestMetrics>(),
            provider.GetRequiredService<ILogger<LiveSource>>()));
        return services;
    }

    /// <summary>
    /// Retry for ever with exponential backoff, jitter and a cap (an <see cref="UpstreamThrottledException"/> waits at
    /// least what the upstream asked), inside a circuit breaker that rests the source after
    /// <see cref="IngestOptions.CircuitBreakAfterFailures"/> failed attempts in a row. A reconnect loop makes about one
    /// attempt per backoff step, so the breaker samples over the time those attempts take rather than a few seconds:
    /// with the default 8 failures that is a few minutes, far longer than Polly's default 30 s sampling window.
    /// Stopping the host (a cancelled token) is never retried.
    /// </summary>
    internal static void ConfigureConnectionPipeline(ResiliencePipelineBuilder builder, IngestOptions options, TimeProvider time)
    {
        builder.TimeProvider = time;
        var handled = new PredicateBuilder().Handle<Exception>(static ex => ex is not OperationCanceledException);
        var maxDelay = TimeSpan.FromSeconds(options.ReconnectMaxDelaySeconds);
        builder.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = handled,
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromSeconds(options.ReconnectDelaySeconds),
            MaxDelay = maxDelay,
            DelayGenerator = static args => ValueTask.FromResult(
                args.Outcome.Exception?.InnerException is UpstreamThrottledException throttled ? throttled.RetryAfter : (TimeSpan?)null),
        });

        var breakFor = TimeSpan.FromSeconds(options.CircuitBreakSeconds);
        var sampling = TimeSpan.FromTicks(Math.Min(TimeSpan.TicksPerDay, Math.Max(breakFor.Ticks * 4, maxDelay.Ticks * options.CircuitBreakAfterFailures)));
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            ShouldHandle = handled,
            FailureRatio = 1.0,
            MinimumThroughput = options.CircuitBreakAfterFailures,
            SamplingDuration = sampling,
            BreakDuration = breakFor,
        });
    }
}
