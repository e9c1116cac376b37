using System.Globalization;
using RiskConsole.Core.Signals;

namespace RiskConsole.Ingest.Live;

/// <summary>
/// Runs one connection of a listener for a while outside the server and writes what happens as it happens: the
/// connection, each signal (the first few in full, then a count), dropped messages with their reason, and — when it
/// cannot connect — exactly why, in the words the source's status would use. The `probe binance|polymarket|reddit`
/// command; the first thing to run to check connectivity and keys.
/// </summary>
public sealed class LiveFeedProbe(ILiveFeed feed, TimeProvider time, TextWriter output)
{
    /// <summary>Signals written in full; later ones are only counted, so a busy stream does not flood the terminal.</summary>
    public const int SignalsShown = 12;

    /// <summary>Returns the exit code: 0 when live data arrived within <paramref name="duration"/>, 1 when not.</summary>
    public async Task<int> RunAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync($"probing {feed.Source} at {feed.Endpoint} for {duration.TotalSeconds:0.#} s ...").ConfigureAwait(false);
        var sink = new ProbeSink(output, time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(duration);
        string? failure = null;
        try
        {
            await feed.RunConnectionAsync(sink, deadline.Token).ConfigureAwait(false);
            failure = sink.Signals == 0 ? "the upstream ended the connection before any data arrived" : null;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The probe's time is up: the normal end.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            failure = UpstreamFailure.Describe(ex);
        }

        await sink.FlushAsync().ConfigureAwait(false);
        var summary = $"{sink.Messages} message(s), {sink.Signals} signal(s), {sink.Rejected} dropped";
        if (sink.Signals > 0)
        {
            await output.WriteLineAsync($"OK: live data from {feed.Source}: {summary}" + (failure is null ? "" : $"; then: {failure}")).ConfigureAwait(false);
            return 0;
        }

        await output.WriteLineAsync(failure is null
            ? $"NO DATA: connected but no signal within {duration.TotalSeconds:0.#} s ({summary})"
            : $"FAILED: {failure} ({summary})").ConfigureAwait(false);
        return 1;
    }

    private sealed class ProbeSink(TextWriter output, TimeProvider time) : ILiveFeedSink
    {
        private readonly Lock _lock = new();
        private long _messages;
        private long _signals;
        private long _rejected;

        public long Messages => Interlocked.Read(ref _messages);

        public long Signals => Interlocked.Read(ref _signals);

        public long Rejected => Interlocked.Read(ref _rejected);

        public void MessageReceived() => Interlocked.Increment(ref _messages);

        public void Connected(string detail) => Write($"connected: {detail}");

        public void FrameRejected(string reason)
        {
            if (Interlocked.Increment(ref _rejected) <= SignalsShown)
            {
                Write($"dropped a message: {reason}");
            }
        }

        public ValueTask PublishAsync(MarketSignal signal, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(signal);
            var count = Interlocked.Increment(ref _signals);
            if (count <= SignalsShown)
            {
                Write(Describe(signal, time.GetUtcNow()));
            }
            else if (count == SignalsShown + 1)
            {
                Write($"... (further signals are counted, not shown)");
            }

            return ValueTask.CompletedTask;
        }

        public Task FlushAsync() => output.FlushAsync();

        private void Write(string line)
        {
            // A console write is quick; holding the lock keeps lines from concurrent callbacks whole and in order.
            lock (_lock)
            {
                output.WriteLine(line);
            }
        }

        private static string Describe(MarketSignal signal, DateTimeOffset now)
        {
            var age = (now - signal.Timestamp).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
            return signal switch
            {
                PriceTick tick => $"price {tick.Symbol} {tick.Price.ToString(CultureInfo.InvariantCulture)} at {tick.Timestamp:O} ({age} s ago)",
                MarketProbability market => $"market {market.MarketId} p={market.Probability.ToString("0.###", CultureInfo.InvariantCulture)} \"{market.Question}\"",
                SentimentSample post => $"post {post.SourceId} compound={post.Compound.ToString("0.###", CultureInfo.InvariantCulture)} \"{post.Text}\"",
                _ => signal.ToString(),
            };
        }
    }
}
