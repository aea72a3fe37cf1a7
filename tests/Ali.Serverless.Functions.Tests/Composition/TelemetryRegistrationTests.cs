using Ali.Serverless.Functions.Composition;
using Ali.Serverless.Functions.Tests.Support;
using Ali.Serverless.Operations;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Ali.Serverless.Functions.Tests.Composition;

/// <summary>Where traces and metrics go (decision 20): nowhere by default locally, the console on request, Application Insights in Azure.</summary>
public sealed class TelemetryRegistrationTests
{
    private sealed class CountingCounts : ICaseCounts
    {
        public int Calls;

        public Task<IReadOnlyDictionary<Applications.ApplicationStatus, long>> CountByStatusAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            return Task.FromResult<IReadOnlyDictionary<Applications.ApplicationStatus, long>>(new Dictionary<Applications.ApplicationStatus, long>());
        }
    }

    private readonly CountingCounts _counts = new();

    private ServiceProvider Build(params (string Key, string? Value)[] settings)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ICaseCounts>(_counts);
        services.AddSingleton<CasesPerState>();
        services.AddAliTelemetry(TestAuth.Configuration(settings));
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task Locally_ByDefault_NothingIsCollected()
    {
        await using var services = Build();

        Assert.Null(services.GetService<TracerProvider>());
        Assert.Null(services.GetService<MeterProvider>());
    }

    [Fact]
    public async Task Console_CollectsTracesAndMetrics()
    {
        await using var services = Build(("Telemetry:Exporter", "console"));

        Assert.NotNull(services.GetService<TracerProvider>());
        Assert.NotNull(services.GetService<MeterProvider>());
    }

    [Fact]
    public async Task WithAnApplicationInsightsConnection_ExportsThere_WithoutAKeyInTheSetting()
    {
        await using var services = Build(
            ("APPLICATIONINSIGHTS_CONNECTION_STRING", "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://ingest.example.test/"),
            ("AZURE_CLIENT_ID", "00000000-0000-0000-0000-000000000001"));

        var tracing = services.GetService<TracerProvider>();
        Assert.NotNull(tracing);
        Assert.NotNull(services.GetService<MeterProvider>());
    }

    [Fact]
    public async Task Console_ObservesTheCasesPerStateGauge_WhichCountsInTheBackground()
    {
        await using var services = Build(("Telemetry:Exporter", "console"));

        services.GetRequiredService<MeterProvider>().ForceFlush();

        await services.GetRequiredService<CasesPerState>().Counting!;
        Assert.Equal(1, _counts.Calls);
    }

    [Fact]
    public async Task Locally_ByDefault_NothingIsCounted()
    {
        await using var services = Build();

        Assert.Null(services.GetService<MeterProvider>());
        Assert.Equal(0, _counts.Calls);
    }

    [Fact]
    public void AnUnknownExporter_StopsTheStart()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(("Telemetry:Exporter", "zipkin")));

        Assert.Contains("Telemetry__Exporter", error.Message, StringComparison.Ordinal);
    }
}
