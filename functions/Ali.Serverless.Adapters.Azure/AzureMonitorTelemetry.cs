using Azure.Monitor.OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Ali.Serverless.Adapters.Azure;

/// <summary>
/// Traces and metrics to Application Insights with an Entra token of the app's identity: the component
/// refuses instrumentation keys (local authentication off, as the host's own telemetry).
/// </summary>
public static class AzureMonitorTelemetry
{
    public static TracerProviderBuilder ToAzureMonitor(this TracerProviderBuilder tracing, string connectionString, string? managedIdentityClientId) =>
        tracing.AddAzureMonitorTraceExporter(o => Configure(o, connectionString, managedIdentityClientId));

    public static MeterProviderBuilder ToAzureMonitor(this MeterProviderBuilder metrics, string connectionString, string? managedIdentityClientId) =>
        metrics.AddAzureMonitorMetricExporter(o => Configure(o, connectionString, managedIdentityClientId));

    private static void Configure(AzureMonitorExporterOptions options, string connectionString, string? managedIdentityClientId)
    {
        options.ConnectionString = connectionString;
        options.Credential = AzureCredentials.For(managedIdentityClientId);
    }
}
