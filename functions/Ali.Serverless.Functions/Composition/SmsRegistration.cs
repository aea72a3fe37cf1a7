using System.Text.Json;
using Ali.Serverless.Adapters.Sms;
using Ali.Serverless.Notifications;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ali.Serverless.Functions.Composition;

/// <summary>
/// Who sends SMS and how receipts are read. Settings are checked when the gateway is first needed, not
/// at start: a missing SMS setting stops SMS, not the intake of applications.
/// </summary>
public static class SmsRegistration
{
    public const string TencentProvider = "Tencent";
    public const string NoProvider = "None";

    /// <summary>How long one send may take before it counts as unanswered (Retryable).</summary>
    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(10);

    private const string KeyVaultReferencePrefix = "@Microsoft.KeyVault(";

    public static IServiceCollection AddSms(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        // Tencent's receipt shape; with SMS off no callback arrives, but the callback function still resolves.
        services.AddSingleton<IDeliveryReceiptParser, TencentSmsReceiptParser>();
        services.AddSingleton(_ => new ReceiptCallbackToken(OptionalSecret(configuration, AppSettingNames.SmsReceiptToken)));

        var provider = configuration.Get(AppSettingNames.SmsProvider) ?? NoProvider;
        switch (provider)
        {
            case TencentProvider:
                services.AddSingleton(_ => TencentOptions(configuration));
                services.AddSingleton(_ => TencentTemplates(configuration));
                // A typed client; the services that send SMS may be singletons that keep it for the app's life,
                // so connections are renewed by the handler itself (DNS changes of the endpoint are picked up)
                // rather than by the factory's handler rotation, which a kept client never sees.
                services.AddHttpClient<ISmsGateway, TencentCloudSmsGateway>(client => client.Timeout = SendTimeout)
                    .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
                    .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
                break;
            case NoProvider:
                services.AddSingleton<ISmsGateway, SwitchedOffSmsGateway>();
                break;
            default:
                throw new InvalidOperationException($"{AppSettingNames.SmsProvider} is '{TencentProvider}' or '{NoProvider}', not '{provider}'.");
        }
        return services;
    }

    public static TencentSmsOptions TencentOptions(IConfiguration configuration)
    {
        var endpointText = configuration.Get(AppSettingNames.SmsEndpoint) ?? TencentSmsOptions.DefaultEndpoint;
        if (!Uri.TryCreate(endpointText, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            throw new InvalidOperationException($"{AppSettingNames.SmsEndpoint} is an absolute http(s) URL, not '{endpointText}'.");
        }
        return new TencentSmsOptions(
            endpoint,
            configuration.Get(AppSettingNames.SmsRegion) ?? TencentSmsOptions.DefaultRegion,
            configuration.Require(AppSettingNames.SmsSdkAppId),
            configuration.Require(AppSettingNames.SmsSignName),
            Secret(configuration, AppSettingNames.SmsSecretId),
            Secret(configuration, AppSettingNames.SmsSecretKey));
    }

    /// <summary>
    /// The template map, from JSON text in the setting (Azure app settings hold strings only) or, when the
    /// setting has no value, from its section's children (appsettings files):
    /// <c>{"accepted.applicant": {"zh": {"Id": "2100004", "Params": "caseNumber,dueDate"}}}</c>.
    /// </summary>
    public static TencentTemplateMap TencentTemplates(IConfiguration configuration)
    {
        var name = AppSettingNames.SmsTencentTemplates;
        var section = configuration.GetSection(name.Replace("__", ":", StringComparison.Ordinal));
        var entries = new List<KeyValuePair<(string, string), TencentTemplate>>();
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            try
            {
                using var document = JsonDocument.Parse(section.Value);
                foreach (var template in document.RootElement.EnumerateObject())
                {
                    foreach (var language in template.Value.EnumerateObject())
                    {
                        var id = language.Value.TryGetProperty("Id", out var idValue) ? idValue.ToString() : "";
                        var parameters = !language.Value.TryGetProperty("Params", out var paramsValue) ? ""
                            : paramsValue.ValueKind == JsonValueKind.Array ? string.Join(',', paramsValue.EnumerateArray().Select(p => p.GetString()))
                            : paramsValue.GetString();
                        entries.Add(Entry(template.Name, language.Name, id, parameters));
                    }
                }
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
            {
                throw new InvalidOperationException($"{name} is JSON of the form {{\"<template id>\": {{\"<language>\": {{\"Id\": \"<Tencent template id>\", \"Params\": \"caseNumber,dueDate\"}}}}}}: {e.Message}", e);
            }
        }
        else
        {
            foreach (var template in section.GetChildren())
            {
                foreach (var language in template.GetChildren())
                {
                    entries.Add(Entry(template.Key, language.Key, language["Id"], language["Params"]));
                }
            }
        }

        try
        {
            return new TencentTemplateMap(entries);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"{name}: {e.Message}", e);
        }
    }

    private static KeyValuePair<(string, string), TencentTemplate> Entry(string templateId, string language, string? id, string? parameters) =>
        new((templateId, language), new TencentTemplate(
            id ?? "",
            (parameters ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));

    /// <summary>
    /// A secret setting. In Azure it is a Key Vault reference that App Service replaces with the secret; a
    /// value still of that form means the replacement failed, and using it would only fail at the provider.
    /// </summary>
    private static string Secret(IConfiguration configuration, string name) =>
        OptionalSecret(configuration, name) ?? throw new InvalidOperationException($"The setting {name} is required.");

    private static string? OptionalSecret(IConfiguration configuration, string name)
    {
        var value = configuration.Get(name);
        if (value is not null && value.StartsWith(KeyVaultReferencePrefix, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"{name} is still a Key Vault reference: App Service could not resolve it. Check that the secret exists in the vault and that the app's identity may read it (Key Vault Secrets User).");
        }
        return value;
    }
}
