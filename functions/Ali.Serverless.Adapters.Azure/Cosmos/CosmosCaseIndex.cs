using System.Net;
using System.Text.Json.Nodes;
using Ali.Serverless.Cases;
using Microsoft.Azure.Cosmos;

namespace Ali.Serverless.Adapters.Azure.Cosmos;

/// <summary>Case number → case document, partitioned by case number (/caseNumber), id = case number: a point read.</summary>
public sealed class CosmosCaseIndex(Container container) : ICaseIndex
{
    public async Task UpsertAsync(CaseIndexEntry entry, CancellationToken cancellationToken)
    {
        var document = CosmosDocuments.ToNode(entry);
        document["id"] = entry.CaseNumber;
        await container.UpsertItemAsync(document, new PartitionKey(entry.CaseNumber), cancellationToken: cancellationToken);
    }

    public async Task<CaseIndexEntry?> GetAsync(string caseNumber, CancellationToken cancellationToken)
    {
        try
        {
            var response = await container.ReadItemAsync<JsonObject>(caseNumber, new PartitionKey(caseNumber), cancellationToken: cancellationToken);
            return CosmosDocuments.FromNode<CaseIndexEntry>(response.Resource);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
