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
using System.Text.Json;
using Ali.Serverless.Common;
using Ali.Serverless.PersonalData;
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
            return (new SqliteCatalogStore(database), new SqliteApplicationStore(database, TestKeys.Protector));
        }
        var client = CosmosClient();
        var database2 = (await client.CreateDatabaseIfNotExistsAsync(TestEnvironment.UniqueName("contract-"))).Database;
        var catalog = (await database2.CreateContainerIfNotExistsAsync(StorageNames.CatalogContainer, StorageNames.CatalogPartitionKeyPath)).Container;
        var applications = (await database2.CreateContainerIfNotExistsAsync(StorageNames.ApplicationsContainer, StorageNames.ApplicationsPartitionKeyPath)).Container;
        return (new CosmosCatalogStore(catalog), new CosmosApplicationStore(applications, TestKeys.Protector));
    }

    /// <summary>The stores of the case workflow over one database (SQLite file, or Cosmos containers), with its application store.</summary>
    public static async Task<CaseStores> CreateCaseStoresAsync(string target)
    {
        if (target == Sqlite)
        {
            var database = new SqliteDatabase(Path.Combine(Path.GetTempPath(), $"ali-contract-{Guid.NewGuid():N}.db"));
            return new CaseStores(new SqliteTaskStore(database), new SqliteCaseIndex(database), new SqliteWarningStore(database), new SqliteApplicationStore(database, TestKeys.Protector),
                new SqliteNotificationStore(database), new SqlitePreferenceStore(database));
        }
        var client = CosmosClient();
        var db = (await client.CreateDatabaseIfNotExistsAsync(TestEnvironment.UniqueName("contract-"))).Database;
        async Task<Container> ContainerAsync(string name, string key) => (await db.CreateContainerIfNotExistsAsync(name, key)).Container;
        return new CaseStores(
            new CosmosTaskStore(await ContainerAsync(StorageNames.TasksContainer, StorageNames.TasksPartitionKeyPath)),
            new CosmosCaseIndex(await ContainerAsync(StorageNames.CasesContainer, StorageNames.CasesPartitionKeyPath)),
            new CosmosWarningStore(await ContainerAsync(StorageNames.WarningsContainer, StorageNames.WarningsPartitionKeyPath)),
            new CosmosApplicationStore(await ContainerAsync(StorageNames.ApplicationsContainer, StorageNames.ApplicationsPartitionKeyPath), TestKeys.Protector),
            new CosmosNotificationStore(await ContainerAsync(StorageNames.NotificationsContainer, StorageNames.NotificationsPartitionKeyPath)),
            new CosmosPreferenceStore(await ContainerAsync(StorageNames.PreferencesContainer, StorageNames.PreferencesPartitionKeyPath)));
    }

    /// <summary>
    /// An application store with the given protector, and a way around it: what the row or document holds
    /// as stored (JSON text, for the at-rest tests), and an insert of a raw document (one written before encryption).
    /// </summary>
    public static async Task<RawApplications> CreateRawApplicationsAsync(string target, IPersonalDataProtector protector)
    {
        if (target == Sqlite)
        {
            var database = new SqliteDatabase(Path.Combine(Path.GetTempPath(), $"ali-contract-{Guid.NewGuid():N}.db"));
            return new RawApplications(
                new SqliteApplicationStore(database, protector),
                async (owner, id) =>
                {
                    await using var connection = database.Open();
                    await using var command = connection.CreateCommand();
                    command.CommandText = "SELECT document || ' ' || IFNULL(applicant_key, '') || ' ' || IFNULL(key_id, '') FROM applications WHERE owner_id = $owner AND id = $id";
                    command.Parameters.AddWithValue("$owner", owner);
                    command.Parameters.AddWithValue("$id", id);
                    return (string)(await command.ExecuteScalarAsync())!;
                },
                async application =>
                {
                    await using var connection = database.Open();
                    await using var command = connection.CreateCommand();
                    command.CommandText = "INSERT INTO applications (owner_id, id, created_at, etag, document) VALUES ($owner, $id, $created, '\"legacy\"', $document)";
                    command.Parameters.AddWithValue("$owner", application.OwnerId);
                    command.Parameters.AddWithValue("$id", application.Id);
                    command.Parameters.AddWithValue("$created", application.CreatedAt.UtcTicks);
                    command.Parameters.AddWithValue("$document", JsonSerializer.Serialize(application, DocumentJson.Options));
                    await command.ExecuteNonQueryAsync();
                });
        }
        var db = (await CosmosClient().CreateDatabaseIfNotExistsAsync(TestEnvironment.UniqueName("contract-"))).Database;
        var container = (await db.CreateContainerIfNotExistsAsync(StorageNames.ApplicationsContainer, StorageNames.ApplicationsPartitionKeyPath)).Container;
        return new RawApplications(
            new CosmosApplicationStore(container, protector),
            async (owner, id) =>
            {
                using var response = await container.ReadItemStreamAsync(id, new PartitionKey(owner));
                response.EnsureSuccessStatusCode();
                return await new StreamReader(response.Content).ReadToEndAsync();
            },
            async application => await container.CreateItemAsync(
                JsonSerializer.SerializeToNode(application, DocumentJson.Options)!.AsObject(), new PartitionKey(application.OwnerId)));
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

    /// <summary>The licence store alone, on its own SQLite file or Cosmos database.</summary>
    public static async Task<Ali.Serverless.Licences.ILicenceStore> CreateLicenceStoreAsync(string target)
    {
        if (target == Sqlite)
        {
            return new SqliteLicenceStore(new SqliteDatabase(Path.Combine(Path.GetTempPath(), $"ali-contract-{Guid.NewGuid():N}.db")));
        }
        var db = (await CosmosClient().CreateDatabaseIfNotExistsAsync(TestEnvironment.UniqueName("contract-"))).Database;
        return new CosmosLicenceStore((await db.CreateContainerIfNotExistsAsync(StorageNames.LicencesContainer, StorageNames.LicencesPartitionKeyPath)).Container);
    }

    /// <summary>The review store alone, on its own SQLite file or Cosmos database.</summary>
    public static async Task<Ali.Serverless.Evaluations.IEvaluationStore> CreateEvaluationStoreAsync(string target)
    {
        if (target == Sqlite)
        {
            return new SqliteEvaluationStore(new SqliteDatabase(Path.Combine(Path.GetTempPath(), $"ali-contract-{Guid.NewGuid():N}.db")));
        }
        var db = (await CosmosClient().CreateDatabaseIfNotExistsAsync(TestEnvironment.UniqueName("contract-"))).Database;
        return new CosmosEvaluationStore((await db.CreateContainerIfNotExistsAsync(StorageNames.EvaluationsContainer, StorageNames.EvaluationsPartitionKeyPath)).Container);
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

    /// <summary>A Cosmos container of reviews on the configured server, to read documents as stored.</summary>
    public static async Task<Container> CreateCosmosEvaluationsContainerAsync()
    {
        var db = (await CosmosClient().CreateDatabaseIfNotExistsAsync(TestEnvironment.UniqueName("contract-"))).Database;
        return (await db.CreateContainerIfNotExistsAsync(StorageNames.EvaluationsContainer, StorageNames.EvaluationsPartitionKeyPath)).Container;
    }

    /// <summary>A Cosmos container of applications on the configured server, to read documents as stored.</summary>
    public static async Task<Container> CreateCosmosApplicationsContainerAsync()
    {
        var db = (await CosmosClient().CreateDatabaseIfNotExistsAsync(TestEnvironment.UniqueName("contract-"))).Database;
        return (await db.CreateContainerIfNotExistsAsync(StorageNames.ApplicationsContainer, StorageNames.ApplicationsPartitionKeyPath)).Container;
    }

    /// <summary>The statistics store (decision 18): a SQLite file, or a Cosmos container partitioned by period.</summary>
    public static async Task<Ali.Serverless.Statistics.IStatisticsStore> CreateStatisticsStoreAsync(string target)
    {
        if (target == Sqlite)
        {
            return new SqliteStatisticsStore(new SqliteDatabase(Path.Combine(Path.GetTempPath(), $"ali-contract-{Guid.NewGuid():N}.db")));
        }
        var db = (await CosmosClient().CreateDatabaseIfNotExistsAsync(TestEnvironment.UniqueName("contract-"))).Database;
        return new CosmosStatisticsStore((await db.CreateContainerIfNotExistsAsync(StorageNames.StatisticsContainer, StorageNames.StatisticsPartitionKeyPath)).Container);
    }

    internal static CosmosClient CosmosClient()
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

public sealed record RawApplications(IApplicationStore Store, Func<string, string, Task<string>> ReadRawAsync, Func<Application, Task> InsertRawAsync);

public sealed record CaseStores(
    ITaskStore Tasks, ICaseIndex CaseIndex, IWarningStore Warnings, IApplicationStore Applications, INotificationStore Notifications, IPreferenceStore Preferences);
