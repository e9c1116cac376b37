using System.Buffers;
using System.Text.Json;

namespace RiskConsole.Ingest.Polymarket;

/// <summary>
/// The frames the listener sends on the market channel, in exactly the documented shape (../shared/fixtures/feeds
/// polymarket_subscribe.json and polymarket_subscribe_more.json): the first one names the channel type, later ones an
/// operation on the open socket. <c>custom_feature_enabled</c> asks for <c>best_bid_ask</c> and <c>market_resolved</c>
/// events, which the listener uses.
/// </summary>
internal static class ClobSubscriptionFrames
{
    /// <summary>The text the channel expects every 10 seconds to keep the connection; it answers <c>PONG</c>.</summary>
    public static ReadOnlyMemory<byte> Ping { get; } = "PING"u8.ToArray();

    /// <summary><c>{"assets_ids": [...], "type": "market", "custom_feature_enabled": true}</c>: the first frame on a new connection.</summary>
    public static byte[] Initial(IEnumerable<string> tokenIds) => Write(tokenIds, "type", "market");

    /// <summary><c>{"assets_ids": [...], "operation": "subscribe", "custom_feature_enabled": true}</c>: more tokens on the open connection.</summary>
    public static byte[] Subscribe(IEnumerable<string> tokenIds) => Write(tokenIds, "operation", "subscribe");

    /// <summary><c>{"assets_ids": [...], "operation": "unsubscribe", "custom_feature_enabled": true}</c>: tokens no longer followed.</summary>
    public static byte[] Unsubscribe(IEnumerable<string> tokenIds) => Write(tokenIds, "operation", "unsubscribe");

    private static byte[] Write(IEnumerable<string> tokenIds, string key, string value)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("assets_ids"u8);
            foreach (var tokenId in tokenIds)
            {
                writer.WriteStringValue(tokenId);
            }

            writer.WriteEndArray();
            writer.WriteString(key, value);
            writer.WriteBoolean("custom_feature_enabled"u8, true);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
