using Microsoft.Extensions.Options;

namespace RiskConsole.Ingest.Mock;

/// <summary>
/// Sets <see cref="MockFeedOptions.StatusDetail"/> from <see cref="IngestOptions.Mode"/>, so the board says why the
/// data is mock: the operator chose it, or (auto) the live listener is not delivering.
/// </summary>
internal sealed class MockStatusDetailFromIngestMode(IOptions<IngestOptions> ingest) : IPostConfigureOptions<MockFeedOptions>
{
    public void PostConfigure(string? name, MockFeedOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string mode;
        try
        {
            mode = ingest.Value.Mode;
        }
        catch (OptionsValidationException ex) when (ex.OptionsType == typeof(IngestOptions))
        {
            // Whoever validates IngestOptions reports these failures at start, and the host does not start. Failing
            // here too would make the mock options' start check report each of them a second time.
            options.StatusDetail = $"mock data ({IngestOptions.SectionName} options not valid)";
            return;
        }

        options.StatusDetail = mode == IngestOptions.MockMode
            ? $"mock data ({IngestOptions.SectionName}:{nameof(IngestOptions.Mode)}={mode})"
            : $"mock data ({IngestOptions.SectionName}:{nameof(IngestOptions.Mode)}={mode} falls back to it)";
    }
}
