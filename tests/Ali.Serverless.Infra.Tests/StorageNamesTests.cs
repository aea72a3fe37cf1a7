using System.Text.Json.Nodes;
using Ali.Serverless.Storage;

namespace Ali.Serverless.Infra.Tests;

/// <summary>The database, containers, partition keys, TTL, blob container and queues equal the code's StorageNames.</summary>
[Collection(InfraCollection.Name)]
public sealed class StorageNamesTests(InfraFixture infra)
{
    [Fact]
    public void CosmosDatabase_IsTheOneTheCodeUses()
    {
        Assert.Equal(StorageNames.Database, (string?)ArmTemplate.ModuleParameter(infra.Main, "cosmos", "databaseName"));
    }

    [Fact]
    public void CosmosContainers_HaveTheCodesNamesPartitionKeysAndTtl()
    {
        var containers = Assert.IsType<JsonArray>(ArmTemplate.ModuleParameter(infra.Main, "cosmos", "containers"));
        var byName = containers.OfType<JsonObject>().ToDictionary(c => (string)c["name"]!);

        Assert.Equal(
            new[] { StorageNames.ApplicationsContainer, StorageNames.CatalogContainer, StorageNames.TasksContainer, StorageNames.CasesContainer, StorageNames.WarningsContainer, StorageNames.NotificationsContainer, StorageNames.PreferencesContainer, StorageNames.AuditContainer, StorageNames.RateLimitsContainer, StorageNames.LicencesContainer, StorageNames.EvaluationsContainer, StorageNames.StatisticsContainer }.Order(),
            byName.Keys.Order());
        Assert.Equal(StorageNames.CatalogPartitionKeyPath, (string?)byName[StorageNames.CatalogContainer]["partitionKeyPath"]);
        Assert.Equal(StorageNames.ApplicationsPartitionKeyPath, (string?)byName[StorageNames.ApplicationsContainer]["partitionKeyPath"]);
        Assert.Equal(StorageNames.TasksPartitionKeyPath, (string?)byName[StorageNames.TasksContainer]["partitionKeyPath"]);
        Assert.Equal(StorageNames.CasesPartitionKeyPath, (string?)byName[StorageNames.CasesContainer]["partitionKeyPath"]);
        Assert.Equal(StorageNames.WarningsPartitionKeyPath, (string?)byName[StorageNames.WarningsContainer]["partitionKeyPath"]);
        Assert.Equal(StorageNames.NotificationsPartitionKeyPath, (string?)byName[StorageNames.NotificationsContainer]["partitionKeyPath"]);
        Assert.Equal(StorageNames.PreferencesPartitionKeyPath, (string?)byName[StorageNames.PreferencesContainer]["partitionKeyPath"]);
        Assert.Equal(StorageNames.AuditPartitionKeyPath, (string?)byName[StorageNames.AuditContainer]["partitionKeyPath"]);
        Assert.Equal(StorageNames.RateLimitsPartitionKeyPath, (string?)byName[StorageNames.RateLimitsContainer]["partitionKeyPath"]);
        // Rate-limit counters carry their own ttl: per-item TTL on, no default expiry.
        Assert.Equal(-1, byName[StorageNames.RateLimitsContainer]["defaultTtl"]!.GetValue<int>());
        // Audit records are kept: no TTL on their container.
        Assert.Null(byName[StorageNames.AuditContainer]["defaultTtl"]);
        Assert.Equal(StorageNames.LicencesPartitionKeyPath, (string?)byName[StorageNames.LicencesContainer]["partitionKeyPath"]);
        // Licences are kept as long as the platform runs: no TTL either.
        Assert.Null(byName[StorageNames.LicencesContainer]["defaultTtl"]);
        Assert.Equal(StorageNames.EvaluationsPartitionKeyPath, (string?)byName[StorageNames.EvaluationsContainer]["partitionKeyPath"]);
        Assert.Null(byName[StorageNames.EvaluationsContainer]["defaultTtl"]);

        // Statistics: one document per month, partitioned by it, kept (no TTL).
        Assert.Equal(StorageNames.StatisticsPartitionKeyPath, (string?)byName[StorageNames.StatisticsContainer]["partitionKeyPath"]);
        Assert.Null(byName[StorageNames.StatisticsContainer]["defaultTtl"]);

        // Applications: per-item TTL on with no default expiry. Catalog: no TTL.
        Assert.Equal(-1, byName[StorageNames.ApplicationsContainer]["defaultTtl"]!.GetValue<int>());
        Assert.Null(byName[StorageNames.CatalogContainer]["defaultTtl"]);
    }

    [Fact]
    public void CosmosContainers_UsePartitionKeyAndIndexingPolicyFromTheSpec()
    {
        var container = Assert.Single(ArmTemplate.OfType(infra.Main, "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers"));

        Assert.Contains("partitionKeyPath", container.Get("properties.resource.partitionKey.paths")!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("defaultTtl", (string?)container.Get("properties.resource.defaultTtl"), StringComparison.Ordinal);
        Assert.Equal("consistent", (string?)container.Get("properties.resource.indexingPolicy.indexingMode"));
    }

    [Fact]
    public void MaterialsContainer_IsTheOneTheCodeUses()
    {
        Assert.Equal(StorageNames.MaterialsContainer, (string?)ArmTemplate.ModuleParameter(infra.Main, "storage", "materialsContainerName"));
    }

    [Fact]
    public void WorkQueues_AreTheCodesQueues_EachWithAPoisonQueue()
    {
        var queues = Assert.IsType<JsonArray>(ArmTemplate.ModuleParameter(infra.Main, "storage", "workQueueNames"));
        Assert.Equal(StorageNames.Queues.Order(), queues.Select(q => (string)q!).Order());

        var storage = ArmTemplate.ModuleTemplate(infra.Main, "storage");
        var queue = Assert.Single(ArmTemplate.OfType(storage, "Microsoft.Storage/storageAccounts/queueServices/queues"));
        Assert.Contains("allQueueNames", (string?)queue.Body["name"], StringComparison.Ordinal);
        var allQueues = (string?)storage["variables"]!["allQueueNames"];
        Assert.Contains("parameters('workQueueNames')", allQueues, StringComparison.Ordinal);
        Assert.Contains("format('{0}-poison'", allQueues, StringComparison.Ordinal);
    }
}
