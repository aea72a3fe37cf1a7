using Ali.Serverless.Applications;
using Ali.Serverless.Catalog;
using Ali.Serverless.Storage;
using Microsoft.Azure.Cosmos;

namespace Ali.Serverless.Adapters.Azure.Cosmos;

/// <summary>
/// The Cosmos DB stores over one client (one per process: it pools connections and caches the
/// account's routing). The database and containers come from the template; the app does not create them.
/// </summary>
public sealed class CosmosStores(CosmosClient client, string databaseName) : IDisposable
{
    public ICatalogStore Catalog { get; } = new CosmosCatalogStore(client.GetContainer(databaseName, StorageNames.CatalogContainer));

    public IApplicationStore Applications { get; } = new CosmosApplicationStore(client.GetContainer(databaseName, StorageNames.ApplicationsContainer));

    public void Dispose() => client.Dispose();
}
