using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Ali.Serverless.Audit;
using Microsoft.Azure.Cosmos;

namespace Ali.Serverless.Adapters.Azure.Cosmos;

/// <summary>
/// Audit records in the <c>audit</c> container, partition /chain, id = the sequence zero-padded, so
/// (chain, sequence) is the item's identity and a second create of it is a 409, never a fork. Create
/// only: this class calls no replace, upsert or delete. The record's own id is kept as recordId.
/// </summary>
public sealed class CosmosAuditStore(Container container) : IAuditStore
{
    internal static string ItemId(long sequence) => sequence.ToString("D19", CultureInfo.InvariantCulture);

    public async Task<AuditRecord?> GetLastAsync(string chain, CancellationToken cancellationToken) =>
        (await QueryAsync(chain, new QueryDefinition("SELECT TOP 1 * FROM c WHERE c.chain = @chain ORDER BY c.sequence DESC"), cancellationToken)).FirstOrDefault();

    public async Task<AuditRecord?> FindAsync(string chain, string id, CancellationToken cancellationToken) =>
        (await QueryAsync(chain, new QueryDefinition("SELECT * FROM c WHERE c.chain = @chain AND c.recordId = @id").WithParameter("@id", id), cancellationToken)).FirstOrDefault();

    public async Task<bool> TryCreateAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        var document = CosmosDocuments.ToNode(record);
        document["recordId"] = record.Id;
        document["id"] = ItemId(record.Sequence);
        try
        {
            await container.CreateItemAsync(document, new PartitionKey(record.Chain), cancellationToken: cancellationToken);
            return true;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    public Task<IReadOnlyList<AuditRecord>> ReadChainAsync(string chain, CancellationToken cancellationToken) =>
        QueryAsync(chain, new QueryDefinition("SELECT * FROM c WHERE c.chain = @chain ORDER BY c.sequence"), cancellationToken);

    /// <summary>One partition (the chain), a range filter on sequence, in sequence order, at most count items.</summary>
    public Task<IReadOnlyList<AuditRecord>> ReadChainAsync(string chain, long fromSequence, int count, CancellationToken cancellationToken) =>
        QueryAsync(chain, RangeQuery(fromSequence, count), cancellationToken, maxItemCount: count);

    /// <summary>The count is an int the caller bounds, written as a literal since TOP takes a number.</summary>
    internal static QueryDefinition RangeQuery(long fromSequence, int count) =>
        new QueryDefinition($"SELECT TOP {count.ToString(CultureInfo.InvariantCulture)} * FROM c WHERE c.chain = @chain AND c.sequence >= @from ORDER BY c.sequence")
            .WithParameter("@from", fromSequence);

    private async Task<IReadOnlyList<AuditRecord>> QueryAsync(string chain, QueryDefinition query, CancellationToken cancellationToken, int? maxItemCount = null)
    {
        var records = new List<AuditRecord>();
        // The chain is named in the query as well as the partition key: the local test server needs it there.
        using var iterator = container.GetItemQueryIterator<JsonObject>(query.WithParameter("@chain", chain),
            requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(chain), MaxItemCount = maxItemCount });
        while (iterator.HasMoreResults)
        {
            foreach (var item in await iterator.ReadNextAsync(cancellationToken))
            {
                item["id"] = item["recordId"]?.DeepClone();
                records.Add(CosmosDocuments.FromNode<AuditRecord>(item));
            }
        }
        return records;
    }
}
