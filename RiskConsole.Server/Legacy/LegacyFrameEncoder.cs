using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using RiskConsole.Core.Contracts;
using RiskConsole.Core.Signals;

namespace RiskConsole.Server.Legacy;

/// <summary>
/// Turns a message into the UTF-8 bytes of one /ws text frame: the seed's {"type": ..., "payload": ...}
/// envelope with the payload in snake_case (<see cref="LegacyJsonContext"/>) and, for DATA_UPDATE, in the seed's
/// per-source shape. A broadcast is encoded once and the same bytes are queued to every socket.
/// </summary>
public static class LegacyFrameEncoder
{
    public static byte[] Connected(LegacyConnected connected) =>
        Encode(LegacyFrameTypes.Connected, connected, LegacyJsonContext.Default.LegacyConnected);

    public static byte[] RiskScore(RiskScoreUpdate update) =>
        Encode(LegacyFrameTypes.RiskScore, update, LegacyJsonContext.Default.RiskScoreUpdate);

    public static byte[] DataUpdate(DataUpdate update) =>
        Encode(LegacyFrameTypes.DataUpdate, ToLegacy(update), LegacyJsonContext.Default.LegacyDataUpdate);

    public static byte[] Alert(AlertNotice alert) =>
        Encode(LegacyFrameTypes.Alert, alert, LegacyJsonContext.Default.AlertNotice);

    public static byte[] Interrupt(InterruptNotice notice) =>
        Encode(LegacyFrameTypes.Interrupt, notice, LegacyJsonContext.Default.InterruptNotice);

    public static byte[] Status(RiskStatus status) =>
        Encode(LegacyFrameTypes.Status, status, LegacyJsonContext.Default.RiskStatus);

    public static byte[] Statistics(RiskStatistics statistics) =>
        Encode(LegacyFrameTypes.Statistics, statistics, LegacyJsonContext.Default.RiskStatistics);

    /// <summary>The seed's per-source data shape: its field names, not the hub's.</summary>
    public static LegacyDataUpdate ToLegacy(DataUpdate update) => new(
        update.Source,
        update.Data switch
        {
            PriceTick p => new LegacyCryptoData(p.Symbol, p.Price, p.Timestamp),
            MarketProbability m => new LegacyMarketData(m.MarketId, m.Question, m.Probability, m.Timestamp),
            SentimentSample s => new LegacyRedditData(s.SourceId, s.Compound, s.Text, s.Timestamp),
            _ => throw new ArgumentException($"No legacy shape for {update.Data.GetType().Name}.", nameof(update)),
        },
        update.Mock,
        update.At);

    private static byte[] Encode<T>(string type, T payload, JsonTypeInfo<T> typeInfo)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WritePropertyName("payload");
            JsonSerializer.Serialize(writer, payload, typeInfo);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
