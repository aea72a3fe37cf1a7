using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ali.Serverless.Catalog;
using Ali.Serverless.Common;
using Microsoft.Azure.Cosmos;

namespace Ali.Serverless.Adapters.Azure.Cosmos;

/// <summary>
/// The catalog in one logical partition ("items"): it is small (hundreds of items, well under the
/// partition limit) and read far more than written, so a listing is a single-partition query and an
/// item is a point read by its code. The <see cref="CatalogVersion"/> is one document in its own
/// partition ("version"), so listing the items never sees it and checking it is a 1 RU point read.
/// </summary>
public sealed class CosmosCatalogStore(Container container) : ICatalogStore
{
    public const string PartitionValue = "items";
    private static readonly PartitionKey Partition = new(PartitionValue);
    public const string VersionPartitionValue = "version";
    public const string VersionId = "catalog-version";
    private static readonly PartitionKey VersionPartition = new(VersionPartitionValue);

    public async Task UpsertAsync(ServiceItem item, CancellationToken cancellationToken)
    {
        var document = JsonSerializer.SerializeToNode(item, DocumentJson.Options)!.AsObject();
        document["id"] = item.ItemCode;
        document["partitionKey"] = PartitionValue;
        await container.UpsertItemAsync(document, Partition, cancellationToken: cancellationToken);
    }

    public async Task<ServiceItem?> GetAsync(string itemCode, CancellationToken cancellationToken)
    {
        try
        {
            var response = await container.ReadItemAsync<JsonObject>(itemCode, Partition, cancellationToken: cancellationToken);
            return ToItem(response.Resource);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<ServiceItem>> ListAsync(string? departmentCode, string? itemType, CancellationToken cancellationToken)
    {
        var query = BuildListQuery(departmentCode, itemType);
        var items = new List<ServiceItem>();
        using var iterator = container.GetItemQueryIterator<JsonObject>(query, requestOptions: new QueryRequestOptions { PartitionKey = Partition });
        while (iterator.HasMoreResults)
        {
            foreach (var document in await iterator.ReadNextAsync(cancellationToken))
            {
                items.Add(ToItem(document));
            }
        }
        // Sorted here rather than by ORDER BY: the set is small and the order stays the same on every store.
        return items.OrderBy(i => i.ItemCode, StringComparer.Ordinal).ToList();
    }

    public async Task<CatalogVersion?> GetVersionAsync(CancellationToken cancellationToken)
    {
        try
        {
            var response = await container.ReadItemAsync<JsonObject>(VersionId, VersionPartition, cancellationToken: cancellationToken);
            return response.Resource["version"].Deserialize<CatalogVersion>(DocumentJson.Options);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task SaveVersionAsync(CatalogVersion version, CancellationToken cancellationToken)
    {
        var document = new JsonObject
        {
            ["id"] = VersionId,
            ["partitionKey"] = VersionPartitionValue,
            ["version"] = JsonSerializer.SerializeToNode(version, DocumentJson.Options),
        };
        await container.UpsertItemAsync(document, VersionPartition, cancellationToken: cancellationToken);
    }

    internal static QueryDefinition BuildListQuery(string? departmentCode, string? itemType)
    {
        var text = "SELECT * FROM c WHERE c.partitionKey = @partition";
        if (departmentCode is not null)
        {
            text += " AND c.departmentCode = @department";
        }
        if (itemType is not null)
        {
            text += " AND c.itemType = @itemType";
        }
        var query = new QueryDefinition(text).WithParameter("@partition", PartitionValue);
        if (departmentCode is not null)
        {
            query = query.WithParameter("@department", departmentCode);
        }
        if (itemType is not null)
        {
            query = query.WithParameter("@itemType", itemType);
        }
        return query;
    }

    private static ServiceItem ToItem(JsonObject document)
    {
        // Cosmos adds system properties (_rid, _etag, ...) and we add id/partitionKey: drop them before binding.
        foreach (var name in document.Select(p => p.Key).Where(k => k.StartsWith('_') || k is "id" or "partitionKey").ToList())
        {
            document.Remove(name);
        }
        return document.Deserialize<ServiceItem>(DocumentJson.Options)!;
    }
}
