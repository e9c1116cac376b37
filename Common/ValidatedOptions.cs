using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RiskConsole.Core;

namespace RiskConsole.Hosting;

/// <summary>
/// The one way every project binds its options: from its configuration section, validated by the class's own
/// <see cref="IValidatableOptions.Validate"/> at start. This file is compiled into each project that registers options
/// (linked from Common/, see the .csproj files): Core must stay free of Microsoft.Extensions, and a project of its own
/// for twenty lines would cost every build more than it saves.
/// </summary>
internal static class ValidatedOptions
{
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, IConfiguration configuration, string section)
        where T : class, IValidatableOptions
    {
        // TryAdd: a second registration of the same options (two hosts binding one section) validates once, not twice.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<T>, SelfValidation<T>>());
        return services.AddOptions<T>().Bind(configuration.GetSection(section)).ValidateOnStart();
    }

    private sealed class SelfValidation<T> : IValidateOptions<T>
        where T : class, IValidatableOptions
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var errors = options.Validate().ToList();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
