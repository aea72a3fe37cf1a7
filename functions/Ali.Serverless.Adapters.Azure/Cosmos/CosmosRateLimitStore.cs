using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Ali.Serverless.Limits;
using Microsoft.Azure.Cosmos;

namespace Ali.Serverless.Adapters.Azure.Cosmos;

/// <summary>
/// Rate-limit counters in the <c>rate-limits</c> container, partitioned by caller (/subject): one document per
/// bucket and window, created at the first request and then replaced under its ETag, so concurrent instances
/// never both count the last allowed request. Each document carries a TTL of two windows: Cosmos DB removes
/// old counters itself.
/// </summary>
public sealed class CosmosRateLimitStore(Container container) : IRateLimitStore
{
    /// <summary>Lost races before giving up; each loser re-reads, so this is only reached under absurd contention.</summary>
    private const int MaxAttempts = 50;

    public async Task<bool> TryCountAsync(string subject, string bucket, DateTimeOffset windowStart, TimeSpan window, int limit, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            return false;
        }
        var id = Id(bucket, windowStart);
        var partition = new PartitionKey(subject);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            try
            {
                // The first request of a window creates its counter; every later one finds it there (409).
                await container.CreateItemAsync(Document(id, subject, bucket, windowStart, window, 1), partition,
                    new ItemRequestOptions { EnableContentResponseOnWrite = false }, cancellationToken);
                return true;
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
            {
            }
            try
            {
                var read = await container.ReadItemAsync<JsonObject>(id, partition, cancellationToken: cancellationToken);
                var count = read.Resource["count"]?.GetValue<int>() ?? 0;
                if (count >= limit)
                {
                    return false;
                }
                await container.ReplaceItemAsync(Document(id, subject, bucket, windowStart, window, count + 1), id, partition,
                    new ItemRequestOptions { IfMatchEtag = read.ETag, EnableContentResponseOnWrite = false }, cancellationToken);
                return true;
            }
            catch (CosmosException e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
            {
                // Another request counted first (or the counter expired under us): try again.
                await Task.Delay(Random.Shared.Next(1, 5 + attempt * 2), cancellationToken);
            }
        }
        throw new InvalidOperationException($"The rate-limit counter '{bucket}' could not be updated after {MaxAttempts} attempts.");
    }

    private static JsonObject Document(string id, string subject, string bucket, DateTimeOffset windowStart, TimeSpan window, int count) => new()
    {
        ["id"] = id,
        ["subject"] = subject,
        ["bucket"] = bucket,
        ["windowStart"] = windowStart.UtcDateTime.ToString("O"),
        ["count"] = count,
        // Two windows: the counter outlives its window whatever the clocks of the instances say.
        ["ttl"] = (int)Math.Max(60, window.TotalSeconds * 2),
    };

    // Ids may not contain '/', '\', '?' or '#'; buckets are ours, but hash anyway so the id is always valid.
    private static string Id(string bucket, DateTimeOffset windowStart) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{bucket}\n{windowStart.UtcTicks}")))[..32];
}
