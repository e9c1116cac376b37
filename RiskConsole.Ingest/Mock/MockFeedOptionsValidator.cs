using Microsoft.Extensions.Options;

namespace RiskConsole.Ingest.Mock;

/// <summary>Fails start with every bad "Ingest:Mock" value, each message naming its key.</summary>
internal sealed class MockFeedOptionsValidator : IValidateOptions<MockFeedOptions>
{
    public ValidateOptionsResult Validate(string? name, MockFeedOptions options)
    {
        var errors = options.Validate().ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
