using Ali.Serverless.Adapters.Azure;
using Ali.Serverless.Catalog;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ali.Serverless.Functions.Composition;

/// <summary>
/// Work done once when the app starts: locally, create the blob container and queues (in Azure the
/// template creates them and the app's identity may not); everywhere, load the seeded catalog (only
/// files whose content hash changed are written, decision 20).
/// </summary>
public sealed class StartupTasks(AzureStorage storage, CatalogSeed seed, ILogger<StartupTasks> logger) : IHostedService
{
    public static string CatalogDirectory => Path.Combine(AppContext.BaseDirectory, "Catalog");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await storage.EnsureLocalResourcesAsync(cancellationToken);
        var load = await seed.LoadAsync(CatalogDirectory, cancellationToken);
        logger.LogInformation(
            "Catalog {Version}: {ItemCount} service items in {Directory}, {Upserted} upserted, {UnchangedFiles} files unchanged",
            load.Version[..12], load.Items, CatalogDirectory, load.Upserted, load.UnchangedFiles);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
