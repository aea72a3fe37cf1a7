using System.Net;
using System.Text.Json.Nodes;
using Ali.Serverless.Applications;
using Ali.Serverless.Notifications;
using Microsoft.Azure.Cosmos;

namespace Ali.Serverless.Adapters.Azure.Cosmos;

/// <summary>
/// Notifications partitioned by recipient (/recipient): an inbox is a query inside one partition,
/// newest first. Receipts, the relay and operators' counts query across partitions (rare, off the
/// request path of applicants and staff).
/// </summary>
public sealed class CosmosNotificationStore(Container container) : INotificationStore
{
    public const string CreatedTicksField = "createdAtTicks";
    public const string NotBeforeTicksField = "notBeforeTicks";
    public const string SentTicksField = "sentAtTicks";
    public const string ClaimedTicksField = "claimedAtTicks";

    public async Task<bool> CreateAsync(Notification notification, CancellationToken cancellationToken)
    {
        try
        {
            await container.CreateItemAsync(ToDocument(notification), new PartitionKey(notification.Recipient), cancellationToken: cancellationToken);
            return true;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    public async Task<Stored<Notification>?> GetAsync(string recipient, string id, CancellationToken cancellationToken)
    {
        try
        {
            var response = await container.ReadItemAsync<JsonObject>(id, new PartitionKey(recipient), cancellationToken: cancellationToken);
            return new Stored<Notification>(CosmosDocuments.FromNode<Notification>(response.Resource), response.ETag);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<Stored<Notification>?> ReplaceAsync(Notification notification, string etag, CancellationToken cancellationToken)
    {
        try
        {
            var response = await container.ReplaceItemAsync(ToDocument(notification), notification.Id, new PartitionKey(notification.Recipient),
                new ItemRequestOptions { IfMatchEtag = etag, EnableContentResponseOnWrite = false }, cancellationToken);
            return new Stored<Notification>(notification, response.ETag);
        }
        catch (CosmosException e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<Page<Notification>> ListAsync(string recipient, NotificationQuery query, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var options = new QueryRequestOptions { PartitionKey = new PartitionKey(recipient), MaxItemCount = pageSize };
        try
        {
            using var iterator = container.GetItemQueryIterator<JsonObject>(BuildListQuery(recipient, query), continuationToken, options);
            var response = await iterator.ReadNextAsync(cancellationToken);
            return new Page<Notification>(response.Select(CosmosDocuments.FromNode<Notification>).ToList(), response.ContinuationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.BadRequest && continuationToken is not null)
        {
            throw new InvalidContinuationTokenException("The continuation token was refused by the store.", e);
        }
    }

    public Task<IReadOnlyList<Notification>> ListSmsToSendAsync(DateTimeOffset now, DateTimeOffset createdBefore, int max, CancellationToken cancellationToken) =>
        QueryAcrossAsync(new QueryDefinition(
                $"SELECT TOP @max * FROM c WHERE c.status = 'created' AND c.channel = 'sms' AND c.{CreatedTicksField} < @created AND (IS_NULL(c.{NotBeforeTicksField}) OR c.{NotBeforeTicksField} <= @now)")
            .WithParameter("@max", max).WithParameter("@created", createdBefore.UtcTicks).WithParameter("@now", now.UtcTicks), max, cancellationToken);

    public Task<IReadOnlyList<Notification>> ListSmsClaimedBeforeAsync(DateTimeOffset claimedBefore, int max, CancellationToken cancellationToken) =>
        QueryAcrossAsync(new QueryDefinition(
                $"SELECT TOP @max * FROM c WHERE c.{ClaimedTicksField} < @before")
            .WithParameter("@max", max).WithParameter("@before", claimedBefore.UtcTicks), max, cancellationToken);

    public async Task<Notification?> FindByProviderMessageIdAsync(string providerMessageId, CancellationToken cancellationToken) =>
        (await QueryAcrossAsync(new QueryDefinition("SELECT TOP 1 * FROM c WHERE c.providerMessageId = @provider").WithParameter("@provider", providerMessageId), 1, cancellationToken))
        .FirstOrDefault();

    public async Task<int> CountSmsSentAsync(string phoneKey, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition($"SELECT VALUE COUNT(1) FROM c WHERE c.phoneKey = @key AND c.{SentTicksField} >= @since")
            .WithParameter("@key", phoneKey).WithParameter("@since", since.UtcTicks);
        using var iterator = container.GetItemQueryIterator<int>(query);
        var total = 0;
        while (iterator.HasMoreResults)
        {
            total += (await iterator.ReadNextAsync(cancellationToken)).Sum();
        }
        return total;
    }

    public async Task<IReadOnlyList<NotificationCount>> CountAsync(CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT c.channel, c.status, c.fellBack, COUNT(1) AS n FROM c GROUP BY c.channel, c.status, c.fellBack");
        using var iterator = container.GetItemQueryIterator<JsonObject>(query);
        var counts = new List<NotificationCount>();
        while (iterator.HasMoreResults)
        {
            foreach (var row in await iterator.ReadNextAsync(cancellationToken))
            {
                counts.Add(new NotificationCount(
                    (string?)row["channel"] == "sms" ? NotificationChannel.Sms : NotificationChannel.Inbox,
                    (string?)row["status"] ?? "",
                    (bool?)row["fellBack"] ?? false,
                    (int?)row["n"] ?? 0));
            }
        }
        return counts;
    }

    internal static QueryDefinition BuildListQuery(string recipient, NotificationQuery query)
    {
        var text = "SELECT * FROM c WHERE c.recipient = @recipient"
            + (query.Channel is null ? "" : " AND c.channel = @channel")
            + (query.UnreadOnly ? " AND IS_NULL(c.readAt)" : "")
            + (query.ApplicationId is null ? "" : " AND c.applicationId = @application")
            + $" ORDER BY c.{CreatedTicksField} DESC";
        var definition = new QueryDefinition(text).WithParameter("@recipient", recipient);
        if (query.Channel is { } channel)
        {
            definition = definition.WithParameter("@channel", channel == NotificationChannel.Sms ? "sms" : "inbox");
        }
        return query.ApplicationId is null ? definition : definition.WithParameter("@application", query.ApplicationId);
    }

    private async Task<IReadOnlyList<Notification>> QueryAcrossAsync(QueryDefinition query, int max, CancellationToken cancellationToken)
    {
        var result = new List<Notification>();
        using var iterator = container.GetItemQueryIterator<JsonObject>(query);
        while (iterator.HasMoreResults && result.Count < max)
        {
            result.AddRange((await iterator.ReadNextAsync(cancellationToken)).Select(CosmosDocuments.FromNode<Notification>));
        }
        return result.Take(max).ToList();
    }

    internal static JsonObject ToDocument(Notification notification)
    {
        var document = CosmosDocuments.ToNode(notification);
        document[CreatedTicksField] = notification.CreatedAt.UtcTicks;
        document[NotBeforeTicksField] = notification.NotBefore?.UtcTicks;
        document[SentTicksField] = notification.SentAt?.UtcTicks;
        // Set while an SMS is claimed and not yet accepted, so an interrupted delivery can be found (decision 9).
        document[ClaimedTicksField] = notification is { Channel: NotificationChannel.Sms, Status: NotificationStatuses.Sending, SentAt: null }
            ? notification.UpdatedAt.UtcTicks
            : null;
        return document;
    }
}
