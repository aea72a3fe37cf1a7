using System.Net;
using System.Text.Json;
using Ali.Serverless.Common;
using Ali.Serverless.Applications;
using Microsoft.Azure.Cosmos;

namespace Ali.Serverless.Adapters.Azure.Cosmos;

/// <summary>
/// Applications partitioned by owner (/ownerId): every request of an applicant or a hall is a point
/// read or a query inside its own partition. Writes are conditional on the ETag.
/// </summary>
public sealed class CosmosApplicationStore(Container container) : IApplicationStore
{
    public async Task<Stored<Application>?> CreateAsync(Application application, CancellationToken cancellationToken)
    {
        try
        {
            var response = await container.CreateItemAsync(application, new PartitionKey(application.OwnerId), cancellationToken: cancellationToken);
            return new Stored<Application>(response.Resource ?? application, response.ETag);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            return null;
        }
    }

    public async Task<Stored<Application>?> GetAsync(string ownerId, string id, CancellationToken cancellationToken)
    {
        try
        {
            var response = await container.ReadItemAsync<Application>(id, new PartitionKey(ownerId), cancellationToken: cancellationToken);
            return new Stored<Application>(response.Resource, response.ETag);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<Stored<Application>?> ReplaceAsync(Application application, string etag, CancellationToken cancellationToken)
    {
        try
        {
            var response = await container.ReplaceItemAsync(
                application, application.Id, new PartitionKey(application.OwnerId),
                new ItemRequestOptions { IfMatchEtag = etag }, cancellationToken);
            return new Stored<Application>(response.Resource ?? application, response.ETag);
        }
        catch (CosmosException e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<Page<Application>> ListByOwnerAsync(string ownerId, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var options = new QueryRequestOptions { PartitionKey = new PartitionKey(ownerId), MaxItemCount = pageSize };
        try
        {
            using var iterator = container.GetItemQueryIterator<Application>(BuildListByOwnerQuery(ownerId), continuationToken, options);
            var response = await iterator.ReadNextAsync(cancellationToken);
            return new Page<Application>(response.ToList(), response.ContinuationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.BadRequest && continuationToken is not null)
        {
            throw new InvalidContinuationTokenException("The continuation token was refused by the store.", e);
        }
    }

    public async Task<IReadOnlyList<Application>> ListAwaitingDispatchAsync(DateTimeOffset submittedBefore, int max, CancellationToken cancellationToken)
    {
        // Cross-partition on purpose: this runs from the relay timer only, and finds almost nothing.
        var result = new List<Application>();
        using var iterator = container.GetItemQueryIterator<Application>(BuildAwaitingDispatchQuery(submittedBefore, max));
        while (iterator.HasMoreResults && result.Count < max)
        {
            result.AddRange(await iterator.ReadNextAsync(cancellationToken));
        }
        return result.Take(max).ToList();
    }

    internal static QueryDefinition BuildListByOwnerQuery(string ownerId) =>
        new QueryDefinition("SELECT * FROM c WHERE c.ownerId = @ownerId ORDER BY c.createdAt DESC")
            .WithParameter("@ownerId", ownerId);

    internal static QueryDefinition BuildAwaitingDispatchQuery(DateTimeOffset submittedBefore, int max) =>
        new QueryDefinition(
                "SELECT TOP @max * FROM c WHERE c.status = 'submitted' AND IS_NULL(c.submissionQueuedAt) AND c.submittedAt < @before")
            .WithParameter("@max", max)
            // Same text form as the stored dates, so the string comparison orders them correctly.
            .WithParameter("@before", JsonSerializer.Serialize(submittedBefore.ToUniversalTime(), DocumentJson.Options).Trim('"'));
}
