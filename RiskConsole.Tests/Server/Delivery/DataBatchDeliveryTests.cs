using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using RiskConsole.Core.Contracts;
using RiskConsole.Tests.Server.Infrastructure;

namespace RiskConsole.Tests.Server.Delivery;

/// <summary>
/// Opt-in data batches end to end: real Kestrel, the real engine on mock feeds, real .NET SignalR clients on both hub
/// protocols. A connection that called UseDataBatches gets each publish tick's data as one DataBatch frame holding
/// the data of its topics only; a connection that did not, and /ws, keep getting one message per datum.
/// </summary>
[Category(TestCategories.EndToEnd)]
public sealed class DataBatchDeliveryTests
{
    private const int Batches = 30;

    [TestCase("json")]
    [TestCase("messagepack")]
    public async Task ABatchClientGetsOneFramePerTickWithTheDataOfItsTopicsWhileOthersKeepDataUpdates(string protocol)
    {
        await using var server = RiskConsoleServer.Start();
        await using var everything = await BatchReader.ConnectAsync(server, protocol);
        await using var cryptoAndReddit = await BatchReader.ConnectAsync(server, protocol, unsubscribe: [RiskTopics.ForSource(DataSources.Polymarket)]);
        await using var perDatum = await BatchReader.ConnectAsync(server, protocol, useBatches: false);
        await using var legacy = await LegacySocketClient.ConnectAsync(server.WebSocketUri());

        var all = await everything.TakeBatchesAsync(Batches);
        var filtered = await cryptoAndReddit.TakeBatchesAsync(Batches);
        var byTick = all.ToDictionary(batch => batch.At);

        Assert.Multiple(() =>
        {
            Assert.That(all.Select(b => b.At), Is.Unique.And.Ordered, "one frame per publish tick, in order");
            Assert.That(all, Has.All.Matches<DataBatch>(b => b.Updates.Count > 0), "no empty frames");
            Assert.That(all, Has.All.Matches<DataBatch>(b => b.Updates.Select(Key).Distinct().Count() == b.Updates.Count), "coalesced: one datum per key and tick");
            Assert.That(all.Count(b => b.Updates.Select(u => u.Source).Distinct().Count() > 1), Is.GreaterThan(0), "data of several sources share a frame");
            Assert.That(everything.DataUpdatesAfterFirstBatch, Is.Zero, "a batch client gets no DataUpdate once it has batches");

            Assert.That(filtered.SelectMany(b => b.Updates).Select(u => u.Source), Has.None.EqualTo(DataSources.Polymarket), "topic filtering: no unsubscribed source");
            Assert.That(filtered.SelectMany(b => b.Updates).Select(u => u.Source).Distinct(), Is.EquivalentTo(new[] { DataSources.Crypto, DataSources.Reddit }));
            Assert.That(cryptoAndReddit.DataUpdatesAfterFirstBatch, Is.Zero);
        });

        // The same tick (same At) to both batch clients: the filtered one holds exactly the crypto and reddit part.
        var compared = 0;
        foreach (var batch in filtered.Where(b => byTick.ContainsKey(b.At)))
        {
            var expected = byTick[batch.At].Updates.Where(u => u.Source != DataSources.Polymarket).Select(Describe);
            Assert.That(batch.Updates.Select(Describe), Is.EqualTo(expected), $"tick {batch.At:O}");
            compared++;
        }

        Assert.That(compared, Is.GreaterThan(Batches / 3), "the two batch clients saw the same ticks");

        // The per-datum client and /ws get every datum of a batch as its own message.
        var sample = all[^1].Updates;
        var perDatumSeen = await perDatum.TakeDataUpdatesThroughAsync(sample.Select(Describe).ToHashSet(StringComparer.Ordinal));
        Assert.That(perDatumSeen, Is.Empty, "every datum of the last batch reached the DataUpdate client");
        Assert.That(perDatum.Batches, Is.Zero, "a client that did not opt in gets no DataBatch");
        foreach (var source in DataSources.All)
        {
            var frame = await legacy.NextAsync("DATA_UPDATE", f => f.Payload.GetProperty("source").GetString() == source);
            Assert.That(frame.Payload.GetProperty("data").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Object), "/ws: one DATA_UPDATE per datum as before");
        }
    }

    [Test]
    public async Task UseDataBatchesAnswersTheTopicsAndABatchClientUnsubscribedFromAllDataGetsNoBatch()
    {
        await using var server = RiskConsoleServer.Start();
        await using var riskOnly = await BatchReader.ConnectAsync(server, "json", unsubscribe: [.. DataSources.All.Select(RiskTopics.ForSource)]);
        await using var everything = await BatchReader.ConnectAsync(server, "json");

        await everything.TakeBatchesAsync(Batches);
        Assert.Multiple(() =>
        {
            Assert.That(riskOnly.OptInAnswer.Topics, Is.EqualTo(new[] { RiskTopics.Risk }));
            Assert.That(everything.OptInAnswer.Topics, Is.EquivalentTo(RiskTopics.All));
            Assert.That(riskOnly.Batches, Is.Zero, "no frame for a connection with no data topic");
        });
    }

    private static string Key(DataUpdate update) => $"{update.Source}/{update.Data.Key}";

    private static string Describe(DataUpdate update) =>
        FormattableString.Invariant($"{update.Source}/{update.Data.Key}@{update.At.UtcTicks}");

    /// <summary>A .NET SignalR client that opted into data batches (or not) and records both kinds of data message.</summary>
    private sealed class BatchReader : IAsyncDisposable
    {
        private readonly HubConnection _connection;
        private readonly Channel<DataBatch> _batches = Channel.CreateUnbounded<DataBatch>();
        private readonly Channel<DataUpdate> _updates = Channel.CreateUnbounded<DataUpdate>();
        private int _batchCount;
        private int _updatesAfterFirstBatch;

        private BatchReader(HubConnection connection)
        {
            _connection = connection;
            connection.On<DataBatch>(nameof(IRiskClient.DataBatch), batch =>
            {
                Interlocked.Increment(ref _batchCount);
                _batches.Writer.TryWrite(batch);
            });
            connection.On<DataUpdate>(nameof(IRiskClient.DataUpdate), update =>
            {
                if (Volatile.Read(ref _batchCount) > 0)
                {
                    Interlocked.Increment(ref _updatesAfterFirstBatch);
                }

                _updates.Writer.TryWrite(update);
            });
        }

        public SubscriptionState OptInAnswer { get; private set; } = new([]);

        public int Batches => Volatile.Read(ref _batchCount);

        public int DataUpdatesAfterFirstBatch => Volatile.Read(ref _updatesAfterFirstBatch);

        public static async Task<BatchReader> ConnectAsync(RiskConsoleServer server, string protocol, bool useBatches = true, string[]? unsubscribe = null)
        {
            var connection = server.CreateHub(builder =>
            {
                if (protocol == "messagepack")
                {
                    builder.AddMessagePackProtocol();
                }
            });
            var reader = new BatchReader(connection);
            await connection.StartAsync();
            if (unsubscribe is not null)
            {
                await connection.InvokeAsync<SubscriptionState>(nameof(IRiskHub.Unsubscribe), unsubscribe);
            }

            if (useBatches)
            {
                reader.OptInAnswer = await connection.InvokeAsync<SubscriptionState>(nameof(IRiskHub.UseDataBatches));
            }

            return reader;
        }

        public async Task<List<DataBatch>> TakeBatchesAsync(int count)
        {
            using var timeout = new CancellationTokenSource(HubRecorder.DefaultTimeout);
            var taken = new List<DataBatch>(count);
            while (taken.Count < count)
            {
                taken.Add(await _batches.Reader.ReadAsync(timeout.Token));
            }

            return taken;
        }

        /// <summary>Reads DataUpdates until every described datum has come; returns what never came (empty on success).</summary>
        public async Task<HashSet<string>> TakeDataUpdatesThroughAsync(HashSet<string> expected)
        {
            using var timeout = new CancellationTokenSource(HubRecorder.DefaultTimeout);
            try
            {
                while (expected.Count > 0)
                {
                    expected.Remove(Describe(await _updates.Reader.ReadAsync(timeout.Token)));
                }
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                // Reported by the caller as what is left.
            }

            return expected;
        }

        public ValueTask DisposeAsync() => _connection.DisposeAsync();
    }
}
