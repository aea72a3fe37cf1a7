using System.Text.Json;
using Ali.Serverless.Applications;
using Ali.Serverless.Common;
using Ali.Serverless.Notifications;
using Microsoft.Data.Sqlite;

namespace Ali.Serverless.Adapters.Sqlite;

/// <summary>Notifications keyed by (recipient, id), with an ETag per write like the Cosmos container.</summary>
public sealed class SqliteNotificationStore(SqliteDatabase database) : INotificationStore
{
    private const int SqliteConstraintViolation = 19;

    public async Task<bool> CreateAsync(Notification notification, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriterAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO notifications (recipient, id, channel, status, application_id, created_at, not_before, read_at, sent_at, phone_key, provider_message_id, fell_back, claimed_at, etag, document)
            VALUES ($recipient, $id, $channel, $status, $application, $created, $notBefore, $read, $sent, $phoneKey, $provider, $fellBack, $claimed, $etag, $document)
            """;
        Bind(command, notification, NewETag());
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SqliteConstraintViolation)
        {
            return false;
        }
    }

    public async Task<Stored<Notification>?> GetAsync(string recipient, string id, CancellationToken cancellationToken)
    {
        using var reads = database.Read();
        var command = reads.Command("SELECT document, etag FROM notifications WHERE recipient = $recipient AND id = $id");
        command.Parameters.AddWithValue("$recipient", recipient);
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new Stored<Notification>(Deserialize(reader.GetString(0)), reader.GetString(1)) : null;
    }

    public async Task<Stored<Notification>?> ReplaceAsync(Notification notification, string etag, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriterAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE notifications SET channel = $channel, status = $status, application_id = $application, created_at = $created,
                not_before = $notBefore, read_at = $read, sent_at = $sent, phone_key = $phoneKey, provider_message_id = $provider,
                fell_back = $fellBack, claimed_at = $claimed, etag = $etag, document = $document
            WHERE recipient = $recipient AND id = $id AND etag = $expected
            """;
        var newETag = NewETag();
        Bind(command, notification, newETag);
        command.Parameters.AddWithValue("$expected", etag);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1 ? new Stored<Notification>(notification, newETag) : null;
    }

    public async Task<Page<Notification>> ListAsync(string recipient, NotificationQuery query, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        using var reads = database.Read();
        var command = reads.Command(ListStatement(query, continuationToken is not null));
        command.Parameters.AddWithValue("$recipient", recipient);
        if (query.Channel is { } channel)
        {
            command.Parameters.AddWithValue("$channel", Wire(channel));
        }
        if (query.ApplicationId is { } applicationId)
        {
            command.Parameters.AddWithValue("$application", applicationId);
        }
        if (continuationToken is not null)
        {
            var (beforeCreated, beforeId) = KeysetTokens.Decode(continuationToken);
            command.Parameters.AddWithValue("$created", beforeCreated);
            command.Parameters.AddWithValue("$id", beforeId);
        }
        command.Parameters.AddWithValue("$limit", pageSize + 1);
        var rows = new List<(Notification Notification, long Created, string Id)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((Deserialize(reader.GetString(0)), reader.GetInt64(1), reader.GetString(2)));
            }
        }
        var page = rows.Take(pageSize).ToList();
        var next = rows.Count > pageSize ? KeysetTokens.Encode(page[^1].Created, page[^1].Id) : null;
        return new Page<Notification>(page.Select(r => r.Notification).ToList(), next);
    }

    /// <summary>
    /// The list's statement with only the conditions the query has, one text per combination, made once. SQLite prepares
    /// a statement on every call; "($channel IS NULL OR channel = $channel)" and the keyset condition on a first page
    /// made it take about twice as long as the read itself (docs/performance.md, decision 26).
    /// </summary>
    private static readonly string[] ListConditions =
        ["channel = $channel", "read_at IS NULL", "application_id = $application", "(created_at < $created OR (created_at = $created AND id < $id))"];

    private static readonly string[] ListStatements = Enumerable.Range(0, 1 << ListConditions.Length)
        .Select(flags => "SELECT document, created_at, id FROM notifications WHERE "
            + string.Join(" AND ", ListConditions.Where((_, i) => (flags & (1 << i)) != 0).Prepend("recipient = $recipient"))
            + " ORDER BY created_at DESC, id DESC LIMIT $limit")
        .ToArray();

    private static string ListStatement(NotificationQuery query, bool afterToken) => ListStatements[
        (query.Channel is null ? 0 : 1) | (query.UnreadOnly ? 2 : 0) | (query.ApplicationId is null ? 0 : 4) | (afterToken ? 8 : 0)];

    public Task<IReadOnlyList<Notification>> ListSmsToSendAsync(DateTimeOffset now, DateTimeOffset createdBefore, int max, CancellationToken cancellationToken) =>
        QueryAsync(
            "SELECT document FROM notifications WHERE status = 'created' AND channel = 'sms' AND created_at < $created AND (not_before IS NULL OR not_before <= $now) ORDER BY created_at LIMIT $max",
            command =>
            {
                command.Parameters.AddWithValue("$created", createdBefore.UtcTicks);
                command.Parameters.AddWithValue("$now", now.UtcTicks);
                command.Parameters.AddWithValue("$max", max);
            },
            cancellationToken);

    public Task<IReadOnlyList<Notification>> ListSmsClaimedBeforeAsync(DateTimeOffset claimedBefore, int max, CancellationToken cancellationToken) =>
        QueryAsync(
            "SELECT document FROM notifications WHERE claimed_at IS NOT NULL AND claimed_at < $before ORDER BY claimed_at LIMIT $max",
            command =>
            {
                command.Parameters.AddWithValue("$before", claimedBefore.UtcTicks);
                command.Parameters.AddWithValue("$max", max);
            },
            cancellationToken);

    /// <summary>When an SMS was claimed for sending and not yet accepted by the provider: what the relay looks for when a delivery was interrupted.</summary>
    internal static DateTimeOffset? ClaimedAt(Notification n) =>
        n is { Channel: NotificationChannel.Sms, Status: NotificationStatuses.Sending, SentAt: null } ? n.UpdatedAt : null;

    public async Task<Notification?> FindByProviderMessageIdAsync(string providerMessageId, CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT document FROM notifications WHERE provider_message_id = $provider LIMIT 1",
            command => command.Parameters.AddWithValue("$provider", providerMessageId), cancellationToken)).FirstOrDefault();

    public async Task<int> CountSmsSentAsync(string phoneKey, DateTimeOffset since, CancellationToken cancellationToken)
    {
        using var reads = database.Read();
        var command = reads.Command("SELECT COUNT(*) FROM notifications WHERE phone_key = $key AND sent_at IS NOT NULL AND sent_at >= $since");
        command.Parameters.AddWithValue("$key", phoneKey);
        command.Parameters.AddWithValue("$since", since.UtcTicks);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<NotificationCount>> CountAsync(CancellationToken cancellationToken)
    {
        using var reads = database.Read();
        var command = reads.Command("SELECT channel, status, fell_back, COUNT(*) FROM notifications GROUP BY channel, status, fell_back ORDER BY channel, status, fell_back");
        var counts = new List<NotificationCount>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts.Add(new NotificationCount(reader.GetString(0) == "sms" ? NotificationChannel.Sms : NotificationChannel.Inbox, reader.GetString(1), reader.GetInt64(2) == 1, reader.GetInt32(3)));
        }
        return counts;
    }

    private async Task<IReadOnlyList<Notification>> QueryAsync(string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        using var reads = database.Read();
        var command = reads.Command(sql);
        bind(command);
        var result = new List<Notification>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(Deserialize(reader.GetString(0)));
        }
        return result;
    }

    private static void Bind(SqliteCommand command, Notification n, string etag)
    {
        command.Parameters.AddWithValue("$recipient", n.Recipient);
        command.Parameters.AddWithValue("$id", n.Id);
        command.Parameters.AddWithValue("$channel", Wire(n.Channel));
        command.Parameters.AddWithValue("$status", n.Status);
        command.Parameters.AddWithValue("$application", n.ApplicationId);
        command.Parameters.AddWithValue("$created", n.CreatedAt.UtcTicks);
        command.Parameters.AddWithValue("$notBefore", n.NotBefore is { } notBefore ? notBefore.UtcTicks : DBNull.Value);
        command.Parameters.AddWithValue("$read", n.ReadAt is { } read ? read.UtcTicks : DBNull.Value);
        command.Parameters.AddWithValue("$sent", n.SentAt is { } sent ? sent.UtcTicks : DBNull.Value);
        command.Parameters.AddWithValue("$phoneKey", (object?)n.PhoneKey ?? DBNull.Value);
        command.Parameters.AddWithValue("$provider", (object?)n.ProviderMessageId ?? DBNull.Value);
        command.Parameters.AddWithValue("$fellBack", n.FellBack ? 1 : 0);
        command.Parameters.AddWithValue("$claimed", ClaimedAt(n) is { } claimed ? claimed.UtcTicks : DBNull.Value);
        command.Parameters.AddWithValue("$etag", etag);
        command.Parameters.AddWithValue("$document", JsonSerializer.Serialize(n, DocumentJson.Options));
    }

    private static string Wire(NotificationChannel channel) => channel == NotificationChannel.Sms ? "sms" : "inbox";

    private static Notification Deserialize(string json) => JsonSerializer.Deserialize<Notification>(json, DocumentJson.Options)!;

    private static string NewETag() => $"\"{Guid.NewGuid():N}\"";
}
