using Ali.Serverless.Adapters.Azure.Cosmos;
using Ali.Serverless.Adapters.Sqlite;
using Ali.Serverless.Applications;
using Ali.Serverless.Audit;
using Ali.Serverless.Cases;
using Ali.Serverless.Catalog;
using Ali.Serverless.Limits;
using Ali.Serverless.Notifications;
using Ali.Serverless.Supervision;
using Ali.Serverless.Storage;
using Azure.Identity;
using Microsoft.Azure.Cosmos;

namespace Ali.Serverless.Adapters.Tests;

/// <summary>
/// The store implementations the contract runs against. "cosmos" is the local cosmosdb-server, or a
/// real account when ALI_TEST_COSMOS_ENDPOINT is set. What that server cannot do (ORDER BY,
/// continuation tokens, and a 404 for a point read of a missing document: it answers 500) runs
/// against SQLite always and against Cosmos only when it is a real account; CosmosQueryTests cover
/// the Cosmos side of those with Moq.
/// </summary>
public static class StoreTargets
{
    public const string Sqlite = "sqlite";
    public const string Cosmos = "cosmos";

    public static bool IsRealCosmos => TestEnvironment.RealCosmosEndpoint is not null;

    public static TheoryData<string> All => new() { Sqlite, Cosmos };

    public static TheoryData<string> BeyondTestServer => IsRealCosmos ? new() { Sqlite, Cosmos } : new() { Sqlite };

    public static async Task<(ICatalogStore Catalog, IApplicationStore Applications)> CreateAsync(string target)
    {
        if (target == Sqlite)
        {
            var database = new SqliteDatabase(Path.Combine(Path.GetTempPath(), $"ali-contract-{Guid.NewGuid():N}.db"));
            return (new SqliteCatalogStore(database), new SqliteApplicationStore(database));
        }
        var client = CosmosClient();
        var database2 = (await client.CreateDatabaseIfNotExistsAsync(TestEnvironment.UniqueName("contract-"))).Database;
        var catalog = (await database2.CreateContainerIfNotExistsAsync(StorageNames.CatalogContainer, StorageNames.CatalogPartitionKeyPath)).Container;
        var applications = (await database2.CreateContainerIfNotExistsAsync(StorageNames.ApplicationsContainer, StorageNames.ApplicationsPartitionKeyPath)).Container;
        return (new CosmosCatalogStore(catalog), new CosmosApplicationStore(applications));
    }

    /// <summary>The stores of the case workflow over one database (SQLite file, or Cosmos containers), with its application store.</summary>
    public static async Task<CaseStores> CreateCaseStoresAsync(string target)
    {
        if (target == Sqlite)
        {
            var database = new SqliteDatabase(Path.Combine(Path.GetTempPath(), $"ali-contract-{Guid.NewGuid():N}.db"));
            return new CaseStores(new SqliteTaskStore(database), new SqliteCaseIndex(database), new SqliteWarningStore(database), new SqliteApplicationStore(database),
                new SqliteNotificationStore(database), new SqlitePreferenceStore(database));
        }
        var client = CosmosClient();
        var db = (await client.CreateDatabaseIfNotExistsAsync(TestEnvironment.UniqueName("contract-"))).Database;
        async Task<Container> ContainerAsync(string name, string key) => (await db.CreateContainerIfNotExistsAsync(name, key)).Container;
        return new CaseStores(
            new CosmosTaskStore(await ContainerAsync(StorageNames.TasksContainer, StorageNames.TasksPartitionKeyPath)),
            new CosmosCaseIndex(await ContainerAsync(StorageNames.CasesContainer, StorageNames.CasesPartitionKeyPath)),
            new CosmosWarningStore(await ContainerAsync(StorageNames.WarningsContainer, StorageNames.WarningsPartitionKeyPath)),
            new CosmosApplicationStore(await ContainerAsync(StorageNames.ApplicationsContainer, StorageNames.ApplicationsPartitionKeyPath)),
            new CosmosNotificationStore(await ContainerAsync(StorageNames.NotificationsContainer, StorageNames.NotificationsPartitionKeyPath)),
            new CosmosPreferenceStore(await ContainerAsync(StorageNames.PreferencesContainer, StorageNames.PreferencesPartitionKeyPath)));
    }

    /// <summary>The audit store alone, on its own SQLite file or Cosmos database.</summary>
    public static async Task<IAuditStore> CreateAuditStoreAsync(string target)
    {
        if (target == Sqlite)
        {
            return new SqliteAuditStore(new SqliteDatabase(Path.Combine(Path.GetTempPath(), $"ali-contract-{Guid.NewGuid():N}.db")));
        }
        var db = (await CosmosClient().CreateDatabaseIfNotExistsAsync(TestEnvironment.UniqueName("contract-"))).Database;
        return new CosmosAuditStore((await db.CreateContainerIfNotExistsAsync(StorageNames.AuditContainer, StorageNames.AuditPartitionKeyPath)).Container);
    }

    /// <summary>The rate-limit store alone, on its own SQLite file or Cosmos database.</summary>
    public static async Task<IRateLimitStore> CreateRateLimitStoreAsync(string target)
    {
        if (target == Sqlite)
        {
            return new SqliteRateLimitStore(new SqliteDatabase(Path.Combine(Path.GetTempPath(), $"ali-contract-{Guid.NewGuid():N}.db")));
        }
        var db = (await CosmosClient().CreateDatabaseIfNotExistsAsync(TestEnvironment.UniqueName("contract-"))).Database;
        return new CosmosRateLimitStore((await db.CreateContainerIfNotExistsAsync(StorageNames.RateLimitsContainer, StorageNames.RateLimitsPartitionKeyPath)).Container);
    }

    /// <summary>A Cosmos container of applications on the configured server, to read documents as stored.</summary>
    public static async Task<Container> CreateCosmosApplicationsContainerAsync()
    {
        var db = (await CosmosClient().CreateDatabaseIfNotExistsAsync(TestEnvironment.UniqueName("contract-"))).Database;
        return (await db.CreateContainerIfNotExistsAsync(StorageNames.ApplicationsContainer, StorageNames.ApplicationsPartitionKeyPath)).Container;
    }

    private static CosmosClient CosmosClient()
    {
        if (TestEnvironment.RealCosmosEndpoint is { } endpoint)
        {
            return TestEnvironment.RealCosmosKey is { } key
                ? CosmosClientFactory.WithKey(endpoint, key, gatewayMode: false)
                : CosmosClientFactory.WithIdentity(endpoint, new DefaultAzureCredential());
        }
        // cosmosdb-server serves HTTPS with a self-signed certificate and accepts any key.
        var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator };
        return CosmosClientFactory.WithKey(TestEnvironment.CosmosServer, Convert.ToBase64String(new byte[64]), gatewayMode: true, handler);
    }
}

public sealed record CaseStores(
    ITaskStore Tasks, ICaseIndex CaseIndex, IWarningStore Warnings, IApplicationStore Applications, INotificationStore Notifications, IPreferenceStore Preferences);
