namespace RiskConsole.Server.Configuration;

/// <summary>
/// The seed's environment variables (RISK_THRESHOLD, PORT, OPENAI_API_KEY, ...) as aliases of the
/// configuration keys, and a ".env" file in the working directory read the same way. Both sit between
/// appsettings*.json and the native environment variables (Risk__Threshold), so an explicit native
/// variable or a command-line argument still wins.
/// </summary>
public static class SeedEnvironment
{
    /// <summary>Seed variable → configuration key.</summary>
    public static IReadOnlyDictionary<string, string> Aliases { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["OPENAI_API_KEY"] = "Ai:OpenAI:ApiKey",
        ["ELEVENLABS_API_KEY"] = "Ai:ElevenLabs:ApiKey",
        ["OPENAI_MODEL"] = "Ai:OpenAI:Model",
        ["ELEVENLABS_VOICE_ID"] = "Ai:ElevenLabs:VoiceId",
        ["RISK_THRESHOLD"] = "Risk:Threshold",
        ["INTERRUPT_COOLDOWN_SECONDS"] = "Risk:CooldownSeconds",
        ["CRYPTO_MA_WINDOW"] = "Risk:CryptoWindow",
        ["POLYMARKET_MA_WINDOW"] = "Risk:PolymarketWindow",
        ["REDDIT_MA_WINDOW"] = "Risk:RedditWindow",
        ["HOST"] = "Server:Host",
        ["PORT"] = "Server:Port",
    };

    /// <summary>Inserts the alias source just before the environment-variable sources.</summary>
    public static void AddSeedEnvironment(this IConfigurationManager configuration, string? dotEnvPath, Func<string, string?> environment)
    {
        var values = Map(dotEnvPath is not null && File.Exists(dotEnvPath) ? ParseDotEnv(File.ReadLines(dotEnvPath)) : [], environment);
        var sources = configuration.Sources;
        // The host also adds DOTNET_/ASPNETCORE_-prefixed environment sources ahead of appsettings.json; the
        // aliases belong just before the unprefixed one, which comes after the JSON files.
        var index = sources.ToList().FindLastIndex(s => s is Microsoft.Extensions.Configuration.EnvironmentVariables.EnvironmentVariablesConfigurationSource { Prefix: null or "" });
        var source = new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = values };
        if (index < 0)
        {
            sources.Add(source);
        }
        else
        {
            sources.Insert(index, source);
        }
    }

    /// <summary>
    /// Resolves aliases: a process environment variable beats the same name in .env. Lines of .env in the
    /// native form (Risk__Threshold=80) become their key too, so a .env can hold any setting.
    /// </summary>
    public static Dictionary<string, string?> Map(IReadOnlyList<KeyValuePair<string, string>> dotEnv, Func<string, string?> environment)
    {
        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in dotEnv)
        {
            if (Aliases.TryGetValue(name, out var key))
            {
                result[key] = value;
            }
            else if (name.Contains("__", StringComparison.Ordinal))
            {
                result[name.Replace("__", ":", StringComparison.Ordinal)] = value;
            }
        }

        foreach (var (name, key) in Aliases)
        {
            if (environment(name) is { } value)
            {
                result[key] = value;
            }
        }

        return result;
    }

    /// <summary>Reads KEY=VALUE lines; # comments, blank lines, "export " prefixes and matching quotes are handled.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ParseDotEnv(IEnumerable<string> lines)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line["export ".Length..].TrimStart();
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var name = line[..equals].Trim();
            var value = line[(equals + 1)..].Trim();
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
            {
                value = value[1..^1];
            }
            else
            {
                var comment = value.IndexOf(" #", StringComparison.Ordinal);
                if (comment >= 0)
                {
                    value = value[..comment].TrimEnd();
                }
            }

            pairs.Add(new KeyValuePair<string, string>(name, value));
        }

        return pairs;
    }
}
