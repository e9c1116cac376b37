using Microsoft.Extensions.Options;

namespace RiskConsole.Server.Configuration;

/// <summary>
/// Runs every options validation once, before anything resolves options (mapping the hub already does), and
/// keeps the problems as one line each naming the key and the rule, so the process can report them and exit
/// without a stack trace.
/// </summary>
public sealed class StartupConfigurationCheck(IServiceProvider services)
{
    private IReadOnlyList<string>? _problems;

    public IReadOnlyList<string> Problems => _problems ??= Run();

    private List<string> Run()
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
            return [];
        }
        catch (OptionsValidationException ex)
        {
            return [.. ex.Failures];
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
            return [.. ex.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures)];
        }
        catch (InvalidOperationException ex) when (ex.Message.Contains("configuration value", StringComparison.OrdinalIgnoreCase))
        {
            // The binder's own message names the key and the type: "Failed to convert configuration value 'abc' at 'Risk:Threshold' to type 'System.Double'."
            return [ex.Message];
        }
    }
}

public static class StartupConfigurationReport
{
    /// <summary>
    /// Validates every options class before anything listens; on a problem writes one line per problem (naming the key
    /// and the rule) to standard error and returns true, so Program.cs can exit with code 1.
    /// </summary>
    public static async Task<bool> ReportConfigurationProblemsAsync(this WebApplication app)
    {
        var problems = new StartupConfigurationCheck(app.Services).Problems;
        foreach (var problem in problems)
        {
            await Console.Error.WriteLineAsync($"Configuration error: {problem}");
        }

        return problems.Count > 0;
    }
}
