namespace RiskConsole.Core.Signals;

/// <summary>What the engine did with a signal: accepted it, or why it refused it.</summary>
public enum SignalVerdict
{
    Accepted = 0,
    NotFinite,
    NonPositivePrice,
    ProbabilityOutOfRange,
    CompoundOutOfRange,
    EmptyKey,
    EmptyText,
    OutOfOrder,
    Duplicate,
    TooFarAhead,
    TooManyKeys,
    UnknownSignal,
    ImplausiblePrice,
    PriceJump,
    Late,
    FieldTooLong,
    Backlog,
}

public static class SignalVerdictDescriptions
{
    /// <summary>A sentence a log line or an operator can act on.</summary>
    public static string Describe(this SignalVerdict verdict) => verdict switch
    {
        SignalVerdict.Accepted => "accepted",
        SignalVerdict.NotFinite => "a number was NaN or infinite",
        SignalVerdict.NonPositivePrice => "price must be greater than zero",
        SignalVerdict.ProbabilityOutOfRange => "probability must be within [0, 1]",
        SignalVerdict.CompoundOutOfRange => "sentiment compound must be within [-1, 1]",
        SignalVerdict.EmptyKey => "symbol, market id or source id is empty",
        SignalVerdict.EmptyText => "market question or post text is empty",
        SignalVerdict.OutOfOrder => "timestamp is earlier than the last accepted one for this key",
        SignalVerdict.Duplicate => "same timestamp and value as the last accepted one for this key",
        SignalVerdict.TooFarAhead => "timestamp is too far ahead of the engine clock (Risk:FutureToleranceSeconds)",
        SignalVerdict.TooManyKeys => "too many distinct keys for this source",
        SignalVerdict.UnknownSignal => "unknown signal type",
        SignalVerdict.ImplausiblePrice => "price is outside Risk:MinimumPrice..Risk:MaximumPrice",
        SignalVerdict.PriceJump => "price jumped more than Risk:MaxPriceJump from the symbol's last accepted price",
        SignalVerdict.Late => "stamped inside a bar that has already closed (later than Risk:LatenessSeconds)",
        SignalVerdict.FieldTooLong => "a key or text is longer than Risk:MaxKeyLength / Risk:MaxTextLength",
        SignalVerdict.Backlog => "too many signals waiting for their bar to open",
        _ => verdict.ToString(),
    };

    /// <summary>Stable lower-case names used as keys in statistics.</summary>
    public static string Name(this SignalVerdict verdict) => verdict switch
    {
        SignalVerdict.Accepted => "accepted",
        SignalVerdict.NotFinite => "not_finite",
        SignalVerdict.NonPositivePrice => "non_positive_price",
        SignalVerdict.ProbabilityOutOfRange => "probability_out_of_range",
        SignalVerdict.CompoundOutOfRange => "compound_out_of_range",
        SignalVerdict.EmptyKey => "empty_key",
        SignalVerdict.EmptyText => "empty_text",
        SignalVerdict.OutOfOrder => "out_of_order",
        SignalVerdict.Duplicate => "duplicate",
        SignalVerdict.TooFarAhead => "too_far_ahead",
        SignalVerdict.TooManyKeys => "too_many_keys",
        SignalVerdict.UnknownSignal => "unknown_signal",
        SignalVerdict.ImplausiblePrice => "implausible_price",
        SignalVerdict.PriceJump => "price_jump",
        SignalVerdict.Late => "late",
        SignalVerdict.FieldTooLong => "field_too_long",
        SignalVerdict.Backlog => "backlog",
        _ => verdict.ToString(),
    };
}
