using System.Text.Json;

namespace RiskConsole.Tests.Server.Infrastructure;

/// <summary>
/// "The expected shape is contained in the actual one": every property of <c>expected</c>, recursively, exists in
/// <c>actual</c> with the same kind of value (number, string, bool, object, array, null). Extra properties in
/// <c>actual</c> are additions and allowed. Values themselves are not compared.
/// </summary>
public static class JsonShape
{
    /// <summary>The paths where <paramref name="actual"/> lacks a property of <paramref name="expected"/> or has another kind of value; empty when it fits.</summary>
    /// <param name="nullable">Paths (like "$.payload.audio_url") where null is accepted in place of the expected kind.</param>
    public static IReadOnlyList<string> Differences(JsonElement expected, JsonElement actual, params string[] nullable)
    {
        var differences = new List<string>();
        Compare(expected, actual, "$", new HashSet<string>(nullable, StringComparer.Ordinal), differences);
        return differences;
    }

    private static void Compare(JsonElement expected, JsonElement actual, string path, HashSet<string> nullable, List<string> differences)
    {
        if (actual.ValueKind == JsonValueKind.Null && nullable.Contains(path))
        {
            return;
        }

        if (Kind(expected.ValueKind) != Kind(actual.ValueKind))
        {
            differences.Add($"{path}: expected {Kind(expected.ValueKind)}, was {Kind(actual.ValueKind)}");
            return;
        }

        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in expected.EnumerateObject())
                {
                    var childPath = path + "." + property.Name;
                    if (actual.TryGetProperty(property.Name, out var value))
                    {
                        Compare(property.Value, value, childPath, nullable, differences);
                    }
                    else
                    {
                        differences.Add($"{childPath}: missing");
                    }
                }

                break;
            case JsonValueKind.Array when expected.GetArrayLength() > 0:
                // The first expected element is the shape every actual element must have.
                var index = 0;
                foreach (var item in actual.EnumerateArray())
                {
                    Compare(expected[0], item, $"{path}[{index++}]", nullable, differences);
                }

                break;
        }
    }

    private static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.True or JsonValueKind.False => "bool",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
