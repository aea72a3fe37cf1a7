using System.Text.RegularExpressions;
using Ali.Serverless.Adapters.Azure;
using Ali.Serverless.Adapters.Azure.ServiceBus;
using Ali.Serverless.Cases;
using Ali.Serverless.Operations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ali.Serverless.Functions.Composition;

/// <summary>
/// How tasks reach departments' own business systems, and how operators watch the work queues:
/// the Service Bus topic when a namespace is configured (Azure), otherwise a Storage queue per
/// department (locally, on Azurite).
/// </summary>
public static partial class DepartmentSystemsRegistration
{
    /// <summary>Where the local host listens (run-local.sh), for task links when no base URL is set.</summary>
    public static readonly Uri LocalApiBaseUrl = new("http://127.0.0.1:7071");

    public static IServiceCollection AddDepartmentSystems(this IServiceCollection services, IConfiguration configuration, AzureStorage storage)
    {
        services.AddSingleton(Options(configuration, storage.IsLocal));

        if (configuration.Get(AppSettingNames.ServiceBusNamespace) is { } serviceBusNamespace)
        {
            // One client for the app's lifetime; the container disposes it (and its AMQP link) at shutdown.
            services.AddSingleton(_ => ServiceBusDepartmentTasks.Connect(serviceBusNamespace, configuration.Get(AppSettingNames.ManagedIdentityClientId)));
            services.AddSingleton(sp => sp.GetRequiredService<ServiceBusDepartmentTasks>().Publisher);
        }
        else
        {
            services.AddSingleton(storage.DepartmentTaskQueues());
        }

        services.AddSingleton(sp => storage.QueueMonitor(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(storage.PoisonQueue());
        return services;
    }

    /// <summary>
    /// Reads the departments and the API's base URL. In Azure the base URL is required (a link to the
    /// loopback address would be useless to a department); locally it defaults to the local host.
    /// </summary>
    public static DepartmentSystemOptions Options(IConfiguration configuration, bool isLocal)
    {
        var departments = (configuration.Get(AppSettingNames.DepartmentSystemsDepartments) ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToHashSet(StringComparer.Ordinal);
        // Codes are compared exactly: the topic's subscriptions filter on the same code, and a message
        // that no subscription's filter matches is dropped by the topic without a trace.
        if (departments.FirstOrDefault(code => !DepartmentCode().IsMatch(code)) is { } bad)
        {
            throw new InvalidOperationException($"{AppSettingNames.DepartmentSystemsDepartments} lists department codes (letters, digits, hyphens) separated by commas; '{bad}' is not one.");
        }

        var baseUrlText = isLocal
            ? configuration.Get(AppSettingNames.DepartmentSystemsApiBaseUrl) ?? LocalApiBaseUrl.ToString()
            : configuration.Require(AppSettingNames.DepartmentSystemsApiBaseUrl);
        if (!Uri.TryCreate(baseUrlText, UriKind.Absolute, out var baseUrl) || (baseUrl.Scheme != Uri.UriSchemeHttps && baseUrl.Scheme != Uri.UriSchemeHttp))
        {
            throw new InvalidOperationException($"{AppSettingNames.DepartmentSystemsApiBaseUrl} is an absolute http(s) URL, not '{baseUrlText}'.");
        }
        return new DepartmentSystemOptions(departments, baseUrl);
    }

    [GeneratedRegex("^[A-Za-z0-9-]{1,50}$")]
    private static partial Regex DepartmentCode();
}
