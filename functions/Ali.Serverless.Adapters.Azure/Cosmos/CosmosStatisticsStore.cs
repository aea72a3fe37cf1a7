using System.Net;
using System.Text.Json.Nodes;
using Ali.Serverless.Statistics;
using Microsoft.Azure.Cosmos;

namespace Ali.Serverless.Adapters.Azure.Cosmos;

/// <summary>
/// Monthly statistics partitioned by period (/period), id = the period: reading a month is a point read, and
/// computing it again is one upsert that replaces the whole month at once (never half old, half new).
/// </summary>
public sealed class CosmosStatisticsStore(Container container) : IStatisticsStore
{
    public async Task UpsertAsync(MonthlyStatistics statistics, CancellationToken cancellationToken) =>
        await container.UpsertItemAsync(ToDocument(statistics), new PartitionKey(statistics.Period), cancellationToken: cancellationToken);

    public async Task<MonthlyStatistics?> GetAsync(string period, CancellationToken cancellationToken)
    {
        try
        {
            var response = await container.ReadItemAsync<JsonObject>(period, new PartitionKey(period), cancellationToken: cancellationToken);
            return CosmosDocuments.FromNode<MonthlyStatistics>(response.Resource);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    internal static JsonObject ToDocument(MonthlyStatistics statistics)
    {
        var document = CosmosDocuments.ToNode(statistics);
        document["id"] = statistics.Period;
        return document;
    }
}
