using Ali.Serverless.Adapters.Azure;
using Ali.Serverless.Operations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Ali.Serverless.Functions.Composition;

/// <summary>
/// OpenTelemetry for the app (decision 20): the cases' spans and metrics, and ASP.NET Core's request
/// spans. Exported to Application Insights when the host has its connection string (Azure), to the
/// console when <see cref="AppSettingNames.TelemetryExporter"/> says so, else nowhere (nothing is collected).
/// </summary>
public static class TelemetryRegistration
{
    /// <summary>The host setting Azure writes for Application Insights (infra/modules/functionapp.bicep).</summary>
    public const string ApplicationInsightsConnectionString = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    public static IOpenTelemetryBuilder? AddAliTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.Get(ApplicationInsightsConnectionString);
        var exporter = configuration.Get(AppSettingNames.TelemetryExporter) ?? "none";
        if (connectionString is null && exporter is not ("console" or "none"))
        {
            throw new InvalidOperationException($"{AppSettingNames.TelemetryExporter} is 'none' or 'console', not '{exporter}'.");
        }
        if (connectionString is null && exporter == "none")
        {
            return null;
        }
        var clientId = configuration.Get(AppSettingNames.ManagedIdentityClientId);
        return services.AddOpenTelemetry()
            .WithTracing(tracing =>
            {
                tracing.AddSource(CaseTelemetry.SourceName, "Microsoft.AspNetCore");
                if (connectionString is not null)
                {
                    tracing.ToAzureMonitor(connectionString, clientId);
                }
                else
                {
                    tracing.AddConsoleExporter();
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(CaseTelemetry.SourceName);
                // Made with the meter provider, so its gauge exists (and counts) only where metrics are exported.
                metrics.AddInstrumentation(sp => sp.GetRequiredService<CasesPerState>());
                if (connectionString is not null)
                {
                    metrics.ToAzureMonitor(connectionString, clientId);
                }
                else
                {
                    metrics.AddConsoleExporter();
                }
            });
    }
}
