namespace RiskConsole.Core.Sentiment;

/// <summary>
/// Result of scoring one text. <see cref="Compound"/> is the headline figure in [-1, 1];
/// <see cref="Positive"/>, <see cref="Negative"/> and <see cref="Neutral"/> are the VADER-style proportions
/// of the text's weight that fell in each bucket (they sum to 1 when any token was seen, and are all 0 otherwise).
/// </summary>
/// <param name="Compound">Normalised sum of all valences, clamped to [-1, 1]. Above 0.05 reads as positive, below -0.05 as negative.</param>
/// <param name="Positive">Share of the text's weight that is positive, in [0, 1].</param>
/// <param name="Negative">Share of the text's weight that is negative, in [0, 1].</param>
/// <param name="Neutral">Share of the text's weight that is neutral, in [0, 1].</param>
/// <param name="MatchedWords">How many words, phrases or emoji were found in the lexicon with a non-zero valence.</param>
public readonly record struct SentimentScore(double Compound, double Positive, double Negative, double Neutral, int MatchedWords);
