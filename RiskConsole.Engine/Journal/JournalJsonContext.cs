using System.Text.Json;
using System.Text.Json.Serialization;
using RiskConsole.Core.Contracts;
using RiskConsole.Core.Signals;

namespace RiskConsole.Engine.Journal;

/// <summary>
/// One line of the JSONL export: exactly one of the four kinds, each in the very JSON the hub sends it in (camelCase;
/// a signal with its "$type": price, probability or sentiment), so a line reads like a hub message and comes back equal.
/// </summary>
public sealed class JournalLine
{
    public MarketSignal? Signal { get; set; }

    public RiskScoreUpdate? Score { get; set; }

    public AlertNotice? Alert { get; set; }

    public InterruptNotice? Interrupt { get; set; }
}

/// <summary>Source-generated JSON for the JSONL export; NaN and infinities are written as names rather than refused.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(JournalLine))]
public sealed partial class JournalJsonContext : JsonSerializerContext;
