using Ali.Serverless.Adapters.Azure;
using Ali.Serverless.Applications;
using Ali.Serverless.Catalog;
using Ali.Serverless.PersonalData;
using Ali.Serverless.Statistics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ali.Serverless.Functions.Composition;

/// <summary>
/// Work done once when the app starts, before the local host answers its first request (a hosted service
/// starts before the server listens): locally, create the blob container and queues (in Azure the template
/// creates them and the app's identity may not); everywhere, load the seeded catalog (only files whose content
/// hash changed are written, decision 20), then warm what the first requests would otherwise pay for (decision 24):
/// the catalog snapshot in memory, the personal-data keys, the application store's connection, and the current
/// month's statistics when none are stored yet. A warm-up step that fails is logged and left to the first request.
/// </summary>
public sealed class StartupTasks(
    AzureStorage storage,
    CatalogSeed seed,
    ICatalogStore catalog,
    IPersonalDataKeys keys,
    IApplicationStore applications,
    StatisticsService statistics,
    ILogger<StartupTasks> logger) : IHostedService
{
    public static string CatalogDirectory => Path.Combine(AppContext.BaseDirectory, "Catalog");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await storage.EnsureLocalResourcesAsync(cancellationToken);
        var load = await seed.LoadAsync(CatalogDirectory, cancellationToken);
        logger.LogInformation(
            "Catalog {Version}: {ItemCount} service items in {Directory}, {Upserted} upserted, {UnchangedFiles} files unchanged",
            load.Version[..12], load.Items, CatalogDirectory, load.Upserted, load.UnchangedFiles);
        await WarmAsync(cancellationToken);
    }

    /// <summary>Each step on its own: a slow or failing one does not keep the others cold.</summary>
    public async Task WarmAsync(CancellationToken cancellationToken)
    {
        // The snapshot every catalog reader is served from (CatalogCache): loaded now, not by the first reader.
        await StepAsync("catalog", async () => await catalog.ListAsync(null, null, cancellationToken));
        // Key Vault (or the local key files): read and cached now, not on the first application opened or read.
        await StepAsync("personal-data keys", async () =>
        {
            await keys.GetCurrentAsync(cancellationToken);
            await keys.GetIndexKeyAsync(cancellationToken);
        });
        // One point read of a document that does not exist: opens the store's connection (SQLite's file and
        // pool, Cosmos DB's routing for the applications container) for 1 RU.
        await StepAsync("application store", async () => await applications.GetAsync("startup", "startup", cancellationToken));
        await StepAsync("statistics", async () =>
        {
            if (await statistics.EnsureCurrentMonthAsync(cancellationToken) is { } computed)
            {
                logger.LogInformation("Statistics for {Period} were not stored yet: computed at start", computed.Period);
            }
        });
    }

    private async Task StepAsync(string step, Func<Task> warm)
    {
        try
        {
            await warm();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Warming {Step} at start failed; the first request that needs it will try again", step);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
