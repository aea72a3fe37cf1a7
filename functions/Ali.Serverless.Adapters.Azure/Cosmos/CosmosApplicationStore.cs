using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ali.Serverless.Common;
using Ali.Serverless.Applications;
using Ali.Serverless.Retention;
using Ali.Serverless.PersonalData;
using Microsoft.Azure.Cosmos;

namespace Ali.Serverless.Adapters.Azure.Cosmos;

/// <summary>
/// Applications partitioned by owner (/ownerId): every request of an applicant or a hall is a point
/// read or a query inside its own partition. Writes are conditional on the ETag. Personal data is
/// encrypted by the protector on every write and decrypted on every read (decision 13).
/// </summary>
public sealed class CosmosApplicationStore(Container container, IPersonalDataProtector protector, int draftTimeToLiveSeconds) : IApplicationStore
{
    public CosmosApplicationStore(Container container, IPersonalDataProtector protector) : this(container, protector, new RetentionOptions().DraftTimeToLiveSeconds)
    {
    }

    public async Task<Stored<Application>?> CreateAsync(Application application, CancellationToken cancellationToken)
    {
        try
        {
            var stored = await protector.ProtectAsync(application, cancellationToken);
            var response = await container.CreateItemAsync(ToDocument(stored, draftTimeToLiveSeconds), new PartitionKey(application.OwnerId), cancellationToken: cancellationToken);
            return new Stored<Application>(application with { ApplicantKey = stored.ApplicantKey }, response.ETag);
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
            return new Stored<Application>(await protector.UnprotectAsync(response.Resource, cancellationToken), response.ETag);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<bool> ExistsAsync(string ownerId, string id, CancellationToken cancellationToken)
    {
        // A point read as a stream, never deserialized or decrypted: the same request unit as a read, no personal data opened.
        using var response = await container.ReadItemStreamAsync(id, new PartitionKey(ownerId), cancellationToken: cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        response.EnsureSuccessStatusCode();
        return true;
    }

    public async Task<Stored<Application>?> ReplaceAsync(Application application, string etag, CancellationToken cancellationToken)
    {
        try
        {
            var stored = await protector.ProtectAsync(application, cancellationToken);
            var response = await container.ReplaceItemAsync(
                ToDocument(stored, draftTimeToLiveSeconds), application.Id, new PartitionKey(application.OwnerId),
                new ItemRequestOptions { IfMatchEtag = etag, EnableContentResponseOnWrite = false }, cancellationToken);
            return new Stored<Application>(application with { ApplicantKey = stored.ApplicantKey }, response.ETag);
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
            return new Page<Application>(await UnprotectAllAsync(response, cancellationToken), response.ContinuationToken);
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
        return await UnprotectAllAsync(result.Take(max), cancellationToken);
    }

    public Task<IReadOnlyList<Application>> ListWithPendingOutboxAsync(DateTimeOffset changedBefore, int max, CancellationToken cancellationToken) =>
        QueryAcrossOwnersAsync(BuildPendingOutboxQuery(changedBefore, max), max, cancellationToken);

    public Task<IReadOnlyList<Application>> ListUnderReviewDueBeforeAsync(DateTimeOffset dueBefore, int max, CancellationToken cancellationToken) =>
        QueryAcrossOwnersAsync(BuildReviewDueQuery(dueBefore, max), max, cancellationToken);

    public Task<IReadOnlyList<Application>> ListDraftsUntouchedSinceAsync(DateTimeOffset untouchedSince, int max, CancellationToken cancellationToken) =>
        QueryAcrossOwnersAsync(BuildTicksBeforeQuery(DraftSinceField, untouchedSince, max), max, cancellationToken);

    public Task<IReadOnlyList<Application>> ListEndedBeforeAsync(DateTimeOffset endedBefore, int max, CancellationToken cancellationToken) =>
        QueryAcrossOwnersAsync(BuildTicksBeforeQuery(EndedAtField, endedBefore, max), max, cancellationToken);

    /// <summary>Cross-partition on purpose: the statistics timer only, a few times an hour, and every page of it.</summary>
    public Task<IReadOnlyList<Application>> ListCasesOpenDuringAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        QueryAcrossOwnersAsync(BuildCasesOpenDuringQuery(from, to), int.MaxValue, cancellationToken);

    public async Task DeleteAsync(string ownerId, string id, CancellationToken cancellationToken)
    {
        try
        {
            await container.DeleteItemAsync<JsonObject>(id, new PartitionKey(ownerId), cancellationToken: cancellationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone (a sweep before, or the TTL): deleting is repeatable.
        }
    }

    /// <summary>
    /// Cross-partition, but on one equality of an indexed field and bounded: the window applications of one
    /// identity number, for 一号 linking. The field is the keyed hash, never the number.
    /// </summary>
    public Task<IReadOnlyList<Application>> ListByApplicantKeyAsync(string applicantKey, int max, CancellationToken cancellationToken) =>
        QueryAcrossOwnersAsync(BuildByApplicantKeyQuery(applicantKey, max), max, cancellationToken);

    public Task<IReadOnlyList<Application>> ListUnderOtherKeyAsync(string currentKeyId, int max, CancellationToken cancellationToken) =>
        QueryAcrossOwnersAsync(BuildUnderOtherKeyQuery(currentKeyId, max), max, cancellationToken);

    /// <summary>Cross-partition on purpose: timers, rotation and the bounded applicant-key lookup only.</summary>
    private async Task<IReadOnlyList<Application>> QueryAcrossOwnersAsync(QueryDefinition query, int max, CancellationToken cancellationToken)
    {
        var result = new List<Application>();
        using var iterator = container.GetItemQueryIterator<Application>(query);
        while (iterator.HasMoreResults && result.Count < max)
        {
            result.AddRange(await iterator.ReadNextAsync(cancellationToken));
        }
        return await UnprotectAllAsync(result.Take(max), cancellationToken);
    }

    private async Task<IReadOnlyList<Application>> UnprotectAllAsync(IEnumerable<Application> stored, CancellationToken cancellationToken)
    {
        var result = new List<Application>();
        foreach (var application in stored)
        {
            result.Add(await protector.UnprotectAsync(application, cancellationToken));
        }
        return result;
    }

    /// <summary>The application with the adapter's query fields: when its outbox began waiting, and the sooner limit while under review.</summary>
    internal static JsonObject ToDocument(Application application) => ToDocument(application, new RetentionOptions().DraftTimeToLiveSeconds);

    internal static JsonObject ToDocument(Application application, int draftTimeToLiveSeconds)
    {
        var document = CosmosDocuments.ToNode(application);
        // Retention (decision 15): a draft carries a TTL, which Cosmos DB counts from the last write, so every
        // change of the draft starts it again; from submission on there is none (the container default keeps it).
        if (RetentionRules.IsDraft(application))
        {
            document[TimeToLiveField] = draftTimeToLiveSeconds;
        }
        document[DraftSinceField] = RetentionRules.IsDraft(application) ? CosmosDocuments.Ticks(application.UpdatedAt) : null;
        document[EndedAtField] = RetentionRules.HasEnded(application) ? CosmosDocuments.Ticks(application.UpdatedAt) : null;
        document[OutboxSinceField] = application.Outbox.Count > 0 ? CosmosDocuments.Ticks(application.UpdatedAt) : null;
        var dues = new[] { application.PromisedDueAt, application.LegalDueAt }.Where(d => d is not null).Select(d => CosmosDocuments.Ticks(d!.Value)).ToList();
        document[ReviewDueField] = application.Status == ApplicationStatus.UnderReview && dues.Count > 0 ? dues.Min() : null;
        document[KeyIdField] = PersonalDataProtector.KeyIdOf(application.DataKey);
        return document;
    }

    public const string TimeToLiveField = "ttl";
    public const string DraftSinceField = "draftSinceTicks";
    public const string EndedAtField = "endedAtTicks";

    /// <summary>The KEK version of the document's data key, beside it so rotation can query what is still under an older one.</summary>
    public const string KeyIdField = "personalDataKeyId";

    internal static QueryDefinition BuildByApplicantKeyQuery(string applicantKey, int max) =>
        new QueryDefinition("SELECT TOP @max * FROM c WHERE c.applicantKey = @key")
            .WithParameter("@max", max)
            .WithParameter("@key", applicantKey);

    internal static QueryDefinition BuildUnderOtherKeyQuery(string currentKeyId, int max) =>
        new QueryDefinition($"SELECT TOP @max * FROM c WHERE IS_NULL(c.{KeyIdField}) OR NOT IS_DEFINED(c.{KeyIdField}) OR c.{KeyIdField} != @current")
            .WithParameter("@max", max)
            .WithParameter("@current", currentKeyId);

    public const string OutboxSinceField = "outboxSinceTicks";
    public const string ReviewDueField = "reviewDueAtTicks";

    internal static QueryDefinition BuildPendingOutboxQuery(DateTimeOffset changedBefore, int max) =>
        new QueryDefinition($"SELECT TOP @max * FROM c WHERE c.{OutboxSinceField} != null AND c.{OutboxSinceField} < @before")
            .WithParameter("@max", max)
            .WithParameter("@before", CosmosDocuments.Ticks(changedBefore));

    internal static QueryDefinition BuildTicksBeforeQuery(string field, DateTimeOffset before, int max) =>
        new QueryDefinition($"SELECT TOP @max * FROM c WHERE c.{field} != null AND c.{field} < @before")
            .WithParameter("@max", max)
            .WithParameter("@before", CosmosDocuments.Ticks(before));

    internal static QueryDefinition BuildReviewDueQuery(DateTimeOffset dueBefore, int max) =>
        new QueryDefinition($"SELECT TOP @max * FROM c WHERE c.{ReviewDueField} != null AND c.{ReviewDueField} <= @before")
            .WithParameter("@max", max)
            .WithParameter("@before", CosmosDocuments.Ticks(dueBefore));

    /// <summary>
    /// Every case not ended before <paramref name="from"/>. No bound on submission: stored instants keep their
    /// offset and do not compare as text, and the cases submitted after the month are few (the statistics filter
    /// exactly); <paramref name="to"/> is kept for the port's contract.
    /// </summary>
    internal static QueryDefinition BuildCasesOpenDuringQuery(DateTimeOffset from, DateTimeOffset to) =>
        new QueryDefinition(
                $"SELECT * FROM c WHERE IS_STRING(c.caseNumber) AND (NOT IS_DEFINED(c.{EndedAtField}) OR IS_NULL(c.{EndedAtField}) OR c.{EndedAtField} >= @from)")
            .WithParameter("@from", CosmosDocuments.Ticks(from));

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
